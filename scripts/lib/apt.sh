# Sourced: apt_install [--with-recommends] LABEL PACKAGE... installs Debian packages (as root,
# or through sudo), saying who asked. Callers decide what is missing.
apt_install() {
  local recommends="--no-install-recommends"
  if [ "${1:-}" = "--with-recommends" ]; then
    recommends=""
    shift
  fi
  local label=$1
  shift
  [ $# -gt 0 ] || return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "$label: installing $*" >&2
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $recommends "$@"
}
