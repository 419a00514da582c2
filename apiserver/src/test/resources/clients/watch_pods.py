"""Watches the pods of a namespace with the official Python client and prints one line per event
(TYPE NAME VALUE-OF-LABEL-step) as soon as the client hands it over; ends after a DELETED."""
import sys

from kubernetes import client, config, watch

config.load_kube_config(config_file=sys.argv[1])
pods = client.CoreV1Api()
print("READY", flush=True)
w = watch.Watch()
for event in w.stream(pods.list_namespaced_pod, sys.argv[2], timeout_seconds=120):
    pod = event["object"]
    labels = pod.metadata.labels or {}
    print(event["type"], pod.metadata.name, labels.get("step", "-"), flush=True)
    if event["type"] == "DELETED":
        w.stop()
