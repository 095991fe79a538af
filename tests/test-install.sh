#!/usr/bin/env bash
# `meson install` as a user runs it (into a staging DESTDIR): the plugin
# lands in GStreamer's own plugin directory, where gst-inspect-1.0 finds
# both elements without GST_PLUGIN_PATH; the tools, the players, the GTK
# library with its header and pkg-config file, and the desktop entry land
# under the prefix, and the installed tools run. Speaks TAP.
#   test-install.sh BUILD_DIR SOURCE_DIR
set -u
build=$1
source=$2
. "$(dirname "$0")/tap.sh"

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
prefix=$(meson introspect "$build" --buildoptions |
  python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
libdir=$(meson introspect "$build" --buildoptions |
  python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "libdir"))')
pluginsdir=$(pkg-config --variable=pluginsdir gstreamer-1.0)

echo "1..12"
echo "# prefix $prefix, GStreamer's plugins in $pluginsdir"
check "installs (meson install --destdir)" \
  'meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >"$dest.log" 2>&1 || { sed "s/^/# /" "$dest.log"; false; }'
rm -f "$dest.log"
if [ "$prefix" = "$(pkg-config --variable=prefix gstreamer-1.0)" ]; then
  want=$pluginsdir
else
  want=$prefix/$libdir/gstreamer-1.0
fi
check "the plugin lands in $want" 'test -f "$dest$want/libgstchapters.so"'
# GStreamer's view of the staged tree: its system path, no GST_PLUGIN_PATH
inspect() {
  env -u GST_PLUGIN_PATH -u GST_PLUGIN_PATH_1_0 \
    GST_PLUGIN_SYSTEM_PATH_1_0="$dest$want:$pluginsdir" \
    GST_REGISTRY_1_0="$dest/registry.bin" gst-inspect-1.0 "$@" 2>&1
}
check "gst-inspect-1.0 chapters loads it" \
  'inspect chapters | grep -q "Filename *$dest$want/libgstchapters.so"'
check "gst-inspect-1.0 seektable, and the autoplugged factories" \
  'inspect seektable | grep -q "Filename *$dest$want/" && inspect seektableparse | grep -q "Rank *primary + 3" && inspect seektableid3 | grep -q "Klass *Codec/Demuxer/Audio"'
bin=$dest$prefix/bin
check "the tools and players are installed" \
  'test -x "$bin/gst-chapters" && test -x "$bin/chapterplayer" && { test ! -e "$build/src/chapterplayer-gtk" || test -x "$bin/chapterplayer-gtk"; }'
check "gst-chapters runs from the staged tree" \
  '"$bin/gst-chapters" show "$source/data/episode.json" | grep -q "Prediction Limits"'
check "the GTK library, header and pkg-config file" \
  '[ ! -e "$build/src/libgstchapters-gtk-1.0.so" ] || { ls "$dest$prefix/$libdir"/libgstchapters-gtk-1.0.so.* >/dev/null && test -f "$dest$prefix/include/gstchapters-gtk-1.0/chapters-gtk.h" && ls "$dest$prefix/$libdir"/pkgconfig/gstchapters-gtk-1.0.pc >/dev/null; }'
# gstchapters-1.0 as an application developer gets it
lib=$dest$prefix/$libdir
check "gstchapters-1.0: library, headers, pkg-config file" \
  'ls "$lib"/libgstchapters-1.0.so.* >/dev/null && test -f "$dest$prefix/include/gstchapters-1.0/gst/chapters/chapters.h" && test -f "$lib/pkgconfig/gstchapters-1.0.pc"'
check "gstchapters-1.0 exports its API only (gst_chapters_*)" \
  '! nm -D --defined-only "$lib"/libgstchapters-1.0.so.0 | awk "{print \$3}" | grep -v -e "^gst_chapters_" -e "^_init$" -e "^_fini$" -e "^__bss_start$" -e "^_edata$" -e "^_end$" | sed "s/^/# exported: /" | grep .'
# (the staged .pc file says where the library will be: point its own
# paths at the staging tree, leave GLib's and GStreamer's alone)
pc() {
  PKG_CONFIG_PATH="$lib/pkgconfig" pkg-config "$@" |
    sed "s|-I$prefix/include/gstchapters-1.0|-I$dest$prefix/include/gstchapters-1.0 -L$lib|"
}
check "a C program builds with pkg-config gstchapters-1.0 and finds 11:00" \
  'cc -o "$dest/app" "$source/tests/chapter-app.c" $(pc --cflags --libs gstchapters-1.0) 2>&1 | sed "s/^/# /"; LD_LIBRARY_PATH="$lib" "$dest/app" "$source/data/episode.json" "Prediction Limits" | grep -q "^0:11:00.000000000$"'
if [ -d "$lib/girepository-1.0" ]; then
  check "Python reads chapters through the installed GstChapters-1.0 typelib" \
    'GI_TYPELIB_PATH="$lib/girepository-1.0" LD_LIBRARY_PATH="$lib" /usr/bin/python3 -c "
import gi, sys
gi.require_version(\"Gst\", \"1.0\"); gi.require_version(\"GstChapters\", \"1.0\")
from gi.repository import Gst, GstChapters
Gst.init(None)
chapters = GstChapters.List.load(sys.argv[1], None, None)
print(chapters[chapters.lookup(\"4\")].props.title)" "$source/data/episode.cue" | grep -q "^Prediction Limits$"'
else
  ok "# SKIP built without GObject Introspection"
fi
desktop=$dest$prefix/share/applications/org.gstchapters.Player.desktop
check "the desktop entry, valid, offered for audio files" \
  'desktop-file-validate "$desktop" && grep -q "^MimeType=.*audio/mpeg;.*audio/flac;" "$desktop"'
exit $failed
