#!/usr/bin/python3
"""A GTK 4 player in Python: playbin, the chapters element as its audio filter, the ChaptersGtk
model, list and seek bar.  player.py [--chapter N] [--show-row N] [--quit-after S] MEDIA"""
import argparse, os, sys, gi
gi.require_version("Gtk", "4.0"); gi.require_version("Gst", "1.0"); gi.require_version("Graphene", "1.0")
gi.require_version("ChaptersGtk", "1.0")
from gi.repository import GLib, Graphene, Gst, Gtk, ChaptersGtk

args = argparse.ArgumentParser()
[args.add_argument(name) for name in ("--chapter", "--show-row", "--quit-after", "media")]
opts = args.parse_args()
Gst.init(None)
uri = opts.media if Gst.uri_is_valid(opts.media) else Gst.filename_to_uri(opts.media)

chapters = Gst.ElementFactory.make("chapters")
if opts.chapter:
    chapters.set_property("start-chapter", opts.chapter)
playbin = Gst.ElementFactory.make("playbin")
playbin.set_property("uri", uri)
playbin.set_property("audio-filter", chapters)
if os.environ.get("CHAPTERPLAYER_NO_AUDIO"):  # (tests: no sound card)
    playbin.set_property("audio-sink", Gst.parse_bin_from_description("fakesink sync=true", True))
model = ChaptersGtk.Model.new()
clicked = False

def on_message(bus, message):
    global clicked
    model.handle_message(message)
    if message.type == Gst.MessageType.ERROR: print("error:", message.parse_error()[0].message, file=sys.stderr)
    if message.type == Gst.MessageType.ASYNC_DONE and clicked:
        clicked = False  # the jump asked by the row has landed
        print("jumped to:", playbin.query_position(Gst.Format.TIME)[1], flush=True)
    return True

playbin.get_bus().add_watch(GLib.PRIORITY_DEFAULT, on_message)

def middle(widget, window):  # of a widget, on its window's surface
    ok, point = widget.compute_point(window, Graphene.Point().init(widget.get_width() / 2, widget.get_height() / 2))
    return point.x + window.get_surface_transform()[0], point.y + window.get_surface_transform()[1]

def activate(app):
    window = Gtk.ApplicationWindow(application=app, title="Chapters", default_width=600, default_height=500)
    title = Gtk.Label(label="Open an episode", xalign=0, css_classes=["title-1"])
    model.bind_property("current-title", title, "label")
    bar = ChaptersGtk.SeekBar.new()
    bar.set_model(model)
    bar.connect("seek", lambda bar, pos: playbin.seek_simple(Gst.Format.TIME, Gst.SeekFlags.FLUSH | Gst.SeekFlags.ACCURATE, pos))
    factory = Gtk.SignalListItemFactory()
    factory.connect("setup", lambda f, item: item.set_child(Gtk.Label(xalign=0)))
    labels = {}  # the rows' widgets by position
    def bind(factory, item):
        labels[item.get_position()] = item.get_child()
        item.get_child().set_label("%s  %s" % (item.get_item().props.start_text, item.get_item().props.title))
    factory.connect("bind", bind)
    rows = Gtk.ListView(model=Gtk.NoSelection(model=model), factory=factory, single_click_activate=True, vexpand=True)
    def jump(view, position):
        global clicked
        clicked = chapters.emit("seek-chapter", model.get_item(position).props.index)
    rows.connect("activate", jump)
    box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=12, margin_top=18, margin_bottom=18, margin_start=18, margin_end=18)
    [box.append(child) for child in (title, bar, rows)]
    window.set_child(box); window.present()
    def tick():
        ok, position = playbin.query_position(Gst.Format.TIME)
        ok2, duration = playbin.query_duration(Gst.Format.TIME)
        if ok and ok2:
            bar.set_duration(duration); bar.set_position(position); model.set_position(position)
        return True
    GLib.timeout_add(100, tick)
    if opts.show_row:  # where that row is, for a pointer to click it
        GLib.timeout_add(2000, lambda: print("row at: %d %d" % middle(labels[int(opts.show_row) - 1], window), flush=True))
    if opts.quit_after:
        GLib.timeout_add(int(float(opts.quit_after) * 1000), lambda: print("title:", title.get_label(), flush=True) or app.quit())
    playbin.set_state(Gst.State.PLAYING)

app = Gtk.Application(application_id="org.gstchapters.PythonPlayer")
app.connect("activate", activate)
app.run([sys.argv[0]])
playbin.set_state(Gst.State.NULL)
