#!/bin/sh
# Installs what building and testing cxzy needs on a Debian/Ubuntu-like
# system (Debian 12, Ubuntu 22.04+, Kylin, UOS), and generates the two
# Chinese locales the tests use.  Safe to run again.
set -e

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi

PACKAGES="
	build-essential
	autoconf
	automake
	autopoint
	gettext
	pkg-config
	liblmdb-dev
	lmdb-utils
	libncurses-dev
	libunistring-dev
	locales
	tmux
	python3
	util-linux
	clang
	valgrind
"

export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! dpkg-query -W -f='${Status}\n' $PACKAGES 2>/dev/null |
    grep -qv '^install ok installed$' &&
    [ "$(dpkg-query -W -f='${Status}\n' $PACKAGES 2>/dev/null | wc -l)" -eq "$(echo $PACKAGES | wc -w)" ]; then
	echo "install-deps: all packages already installed"
else
	$SUDO apt-get update -q
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -q --no-install-recommends $PACKAGES
fi

# make fuzz links libFuzzer, whose runtime is a package of its own on
# Debian 12 (only recommended by clang, and we skip recommends); older
# releases ship it inside clang.
if ! dpkg-query -W -f='${Status}\n' libclang-rt-dev 2>/dev/null |
    grep -q '^install ok installed$' &&
    apt-cache show libclang-rt-dev >/dev/null 2>&1; then
	$SUDO apt-get install -y -q --no-install-recommends libclang-rt-dev
fi

# zh_CN.UTF-8, zh_CN.GB18030 and zh_CN.GBK, for the program and its tests.
have_locale() {
	locale -a 2>/dev/null | tr 'A-Z' 'a-z' | tr -d '-' | grep -qx "$1"
}
if ! have_locale zh_cn.utf8; then
	$SUDO localedef -i zh_CN -f UTF-8 zh_CN.UTF-8
fi
if ! have_locale zh_cn.gb18030; then
	$SUDO localedef -i zh_CN -f GB18030 zh_CN.GB18030
fi
# zh_CN.GBK: older PCs' terminals, whose encoding lacks some characters.
if ! have_locale zh_cn.gbk; then
	$SUDO localedef -i zh_CN -f GBK zh_CN.GBK
fi
echo "install-deps: done"
