#!/usr/bin/env bash
# The Debian packages (./run deb): built with debhelper from the source
# tree and lintian-clean, then unpacked into an empty tree as a user's
# machine would hold them: GStreamer finds both elements there without
# GST_PLUGIN_PATH, the tools and both players start, and the libraries
# serve C and Python. Speaks TAP.
#   test-deb.sh SOURCE_DIR BUILD_DIR EPISODE
set -u
source=$1
build=$2
episode=$3
. "$(dirname "$0")/tap.sh"

out=$build/tests/deb
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
echo "1..12"
check "tools/make-deb builds the packages, lintian finds nothing (overrides reasoned)" \
  '"$source/tools/make-deb" "$out" >"$root/make-deb.log" 2>&1 || { sed "s/^/# /" "$root/make-deb.log" | tail -40; false; }'
packages="gstreamer1.0-chapters libgstchapters-1.0-0 libgstchapters-gtk-1.0-0 gir1.2-gstchapters-1.0 gir1.2-chaptersgtk-1.0 libgstchapters-1.0-dev gst-chapters-tools gst-chapters-doc"
missing=""
for p in $packages; do
  ls "$out/${p}_"*.deb >/dev/null 2>&1 || missing="$missing $p"
done
check "eight packages: plugin, two libraries, two typelibs, -dev, tools and players, API reference" \
  '[ -z "$missing" ] || { echo "# missing:$missing"; false; }'
for p in $packages; do
  [ -z "$missing" ] && dpkg-deb -x "$out/${p}_"*.deb "$root"
done
# the README's apt line, simulated: every dependency resolves
check "the README's apt install of plugin, tools and libraries resolves (apt-get -s)" \
  '(cd "$out" && apt-get install -s --no-install-recommends ./gstreamer1.0-chapters_*.deb ./gst-chapters-tools_*.deb ./libgstchapters-1.0-0_*.deb ./libgstchapters-gtk-1.0-0_*.deb) >"$root/apt.log" 2>&1 || { sed "s/^/# /" "$root/apt.log" | tail -20; false; }'
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
lib=$root/usr/lib/$multiarch
plugins=$lib/gstreamer-1.0
check "the plugin package depends on GStreamer's libraries (shlibs)" \
  'dpkg-deb -f "$out"/gstreamer1.0-chapters_*.deb Depends | grep -q "libgstreamer1.0-0"'
# the unpacked tree in GStreamer's system path, and no GST_PLUGIN_PATH
run() {
  env -u GST_PLUGIN_PATH -u GST_PLUGIN_PATH_1_0 \
    GST_PLUGIN_SYSTEM_PATH_1_0="$plugins:$(pkg-config --variable=pluginsdir gstreamer-1.0)" \
    GST_REGISTRY_1_0="$root/registry.bin" LD_LIBRARY_PATH="$lib" \
    GI_TYPELIB_PATH="$lib/girepository-1.0" XDG_STATE_HOME="$root/state" "$@"
}
check "gst-inspect-1.0 chapters loads from the unpacked plugin package" \
  'run gst-inspect-1.0 chapters 2>&1 | grep -q "Filename *$plugins/libgstchapters.so"'
check "gst-inspect-1.0 seektable too" \
  'run gst-inspect-1.0 seektable 2>&1 | grep -q "Filename *$plugins/libgstchapters.so"'
check "gst-chapters (tools package) lists the episode page's chapters" \
  'run "$root/usr/bin/gst-chapters" show "$source/data/episode.html" | grep -q "11:00.*Prediction Limits"'
check "chapterplayer (tools package) starts and reads the episode's chapters" \
  'run "$root/usr/bin/chapterplayer" --list "$episode" 2>&1 | grep -q "Prediction Limits"'
shot=$root/player.png
check "chapterplayer-gtk (tools package) starts under Xvfb in \"Prediction Limits\"" \
  'run timeout 60 xvfb-run -a -s "-screen 0 1024x768x24" "$root/usr/bin/chapterplayer-gtk" --no-audio --no-resume --chapter 4 --play-for 2 --screenshot "$shot" "$episode" 2>&1 | grep -q "title: Prediction Limits"'
check "Python reads chapters and builds the GTK model through the unpacked typelibs" \
  'run /usr/bin/python3 -c "
import gi, sys
gi.require_version(\"Gst\", \"1.0\"); gi.require_version(\"GstChapters\", \"1.0\")
gi.require_version(\"ChaptersGtk\", \"1.0\")
from gi.repository import Gst, GstChapters, ChaptersGtk
Gst.init(None)
chapters = GstChapters.List.load(sys.argv[1], None, None)
model = ChaptersGtk.Model.new()
model.set_chapters(chapters)
print(model[3].props.title, model[3].props.start_text)" "$source/data/episode.vtt" | grep -q "^Prediction Limits 11:00$"'
check "the API reference package: both namespaces, found by Devhelp" \
  'test -f "$root/usr/share/devhelp/books/GstChapters-1.0/GstChapters-1.0.devhelp2" && test -f "$root/usr/share/devhelp/books/ChaptersGtk-1.0/class.Model.html"'
cflags=$(PKG_CONFIG_PATH="$lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root" pkg-config --cflags-only-I gstchapters-1.0 | tr ' ' '\n' | grep "gstchapters-1.0$" | tr '\n' ' ')
check "a C program builds against the -dev package and finds \"prediction\" at 11:00" \
  'cc -o "$root/app" "$source/tests/chapter-app.c" $cflags $(pkg-config --cflags --libs gstreamer-1.0 gio-2.0) -L"$lib" -lgstchapters-1.0 2>&1 | sed "s/^/# /"; run "$root/app" "$source/data/episode.json" prediction | grep -q "^0:11:00.000000000$"'
exit $failed
