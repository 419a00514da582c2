# Sourced by ./podvisor before `run` and `server`: on a Debian-like machine, as root, installs what
# real containers need when it is missing (runc; busybox-static, from which the node builds its
# built-in image localhost/busybox:host; iproute2 for pod networks). Elsewhere, or with
# PODVISOR_NO_INSTALL=1, nothing is installed and `--runtime auto` falls back to host processes.

podvisor_host_packages() {
  [ "${PODVISOR_NO_INSTALL-}" = 1 ] && return 0
  [ "$(id -u)" = 0 ] || return 0
  if command -v runc >/dev/null 2>&1 && [ -x /bin/busybox ] && command -v ip >/dev/null 2>&1; then
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 || return 0
  missing=
  for pkg in runc busybox-static iproute2; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  [ -n "$missing" ] || return 0
  echo "podvisor: installing$missing for real containers (PODVISOR_NO_INSTALL=1 skips this) ..." >&2
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing; } >/dev/null 2>&1; then
    echo "podvisor: could not install$missing; pods will run as host processes" >&2
  fi
  return 0
}
