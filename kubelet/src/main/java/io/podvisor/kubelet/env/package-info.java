/**
 * What a container's configuration is resolved from besides its spec: environment variables from
 * literal values, the downward API, ConfigMaps and Secrets ({@link io.podvisor.kubelet.env.EnvResolver}),
 * {@code $(VAR)} references ({@link io.podvisor.kubelet.env.Expansion}), and the failures that keep a
 * container from being created ({@link io.podvisor.kubelet.env.ConfigException}).
 */
package io.podvisor.kubelet.env;
