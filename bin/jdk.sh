# Sourced by ./podvisor and ./mvnw: points JAVA_HOME at a JDK 25 or says what is missing.
# Order: an existing JAVA_HOME that is a JDK 25, then the usual install locations.

podvisor_jdk_major() {
  # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$1/release" ]; then # every JDK since 9 has it; reading it is far cheaper than starting java
    sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1
    return 0
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

podvisor_find_jdk() {
  want=25
  podvisor_noglob=
  case $- in *f*) podvisor_noglob=1; set +f ;; esac
  if [ -n "${JAVA_HOME-}" ] && [ "$(podvisor_jdk_major "$JAVA_HOME")" = "$want" ]; then
    return 0
  fi
  for candidate in \
      /usr/lib/jvm/temurin-$want-jdk-* /usr/lib/jvm/temurin-$want* \
      /usr/lib/jvm/java-$want-openjdk-* /usr/lib/jvm/java-$want-* /usr/lib/jvm/jdk-$want* \
      /opt/java/openjdk /opt/jdk-$want* "$HOME"/.sdkman/candidates/java/$want* \
      "$HOME"/.jdks/*$want* /Library/Java/JavaVirtualMachines/*$want*/Contents/Home; do
    [ -d "$candidate" ] || continue
    if [ "$(podvisor_jdk_major "$candidate")" = "$want" ]; then
      JAVA_HOME="$candidate"
      export JAVA_HOME
      [ -z "$podvisor_noglob" ] || set -f
      return 0
    fi
  done
  [ -z "$podvisor_noglob" ] || set -f
  echo "podvisor needs a JDK $want and found none." >&2
  echo "  JAVA_HOME is '${JAVA_HOME-}' (not a JDK $want), and none is in /usr/lib/jvm or the usual places." >&2
  echo "  Install one (e.g. Temurin $want: apt-get install temurin-$want-jdk) or set JAVA_HOME to it." >&2
  return 1
}
