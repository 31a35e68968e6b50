# shellcheck shell=bash
# Shared helpers, sourced by the other scripts (not run directly).

die() { echo "error: $*" >&2; exit 1; }

# Run a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# apt_install PKG...: install Debian packages, refreshing the package lists only
# when they are missing or the first attempt fails (stale lists give 404s).
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  local apt=(apt-get -y -q -o Dpkg::Use-Pty=0 install "$@")
  echo "Installing apt packages: $*" >&2
  if compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null \
      && as_root "${apt[@]}" >/tmp/palabre-apt.log 2>&1; then
    return 0
  fi
  if ! { as_root apt-get -q update && as_root "${apt[@]}"; } >>/tmp/palabre-apt.log 2>&1; then
    tail -n 30 /tmp/palabre-apt.log >&2
    die "apt-get install $* failed (log: /tmp/palabre-apt.log)"
  fi
}
