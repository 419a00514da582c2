/** The in-process client the kubelet's neighbours (controllers, scheduler, static pods) use. */
package io.podvisor.api.client;
