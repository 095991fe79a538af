#!/usr/bin/gjs -m
// A GTK 4 player in JavaScript (GJS): playbin, the chapters element as its audio filter, the ChaptersGtk model, list and seek bar.
//   gjs -m player.js [--chapter N] [--show-row N] [--quit-after S] MEDIA
import GLib from 'gi://GLib';
import Graphene from 'gi://Graphene';
import Gst from 'gi://Gst?version=1.0';
import Gtk from 'gi://Gtk?version=4.0';
import ChaptersGtk from 'gi://ChaptersGtk?version=1.0';
import system from 'system';

const opts = {};
const argv = [...ARGV];
while (argv.length > 1 && argv[0].startsWith('--'))
    opts[argv.shift().slice(2)] = argv.shift();
Gst.init(null);
const uri = Gst.uri_is_valid(argv[0]) ? argv[0] : Gst.filename_to_uri(argv[0]);
const chapters = Gst.ElementFactory.make('chapters', null);
if (opts.chapter)
    chapters.start_chapter = opts.chapter;
const playbin = Gst.ElementFactory.make('playbin', null);
playbin.uri = uri;
playbin.audio_filter = chapters;
if (GLib.getenv('CHAPTERPLAYER_NO_AUDIO')) // (tests: no sound card)
    playbin.audio_sink = Gst.parse_bin_from_description('fakesink sync=true', true);
const model = ChaptersGtk.Model.new();
let clicked = false;
playbin.get_bus().add_watch(GLib.PRIORITY_DEFAULT, (bus, message) => {
    model.handle_message(message);
    if (message.type === Gst.MessageType.ERROR)
        printerr('error:', message.parse_error()[0].message);
    if (message.type === Gst.MessageType.ASYNC_DONE && clicked) {
        clicked = false; // the jump asked by the row has landed
        print('jumped to:', playbin.query_position(Gst.Format.TIME)[1]);
    }
    return true;
});

// the middle of a widget, on its window's surface
const middle = (widget, window) => {
    const [, point] = widget.compute_point(window, new Graphene.Point({x: widget.get_width() / 2, y: widget.get_height() / 2}));
    return [Math.round(point.x + window.get_surface_transform()[0]), Math.round(point.y + window.get_surface_transform()[1])];
};
const app = new Gtk.Application({application_id: 'org.gstchapters.GjsPlayer'});
app.connect('activate', () => {
    const window = new Gtk.ApplicationWindow({application: app, title: 'Chapters',
        default_width: 600, default_height: 500});
    const title = new Gtk.Label({label: 'Open an episode', xalign: 0, css_classes: ['title-1']});
    model.bind_property('current-title', title, 'label', 0);
    const bar = ChaptersGtk.SeekBar.new();
    bar.set_model(model);
    bar.connect('seek', (b, pos) => playbin.seek_simple(Gst.Format.TIME, Gst.SeekFlags.FLUSH | Gst.SeekFlags.ACCURATE, pos));
    const factory = new Gtk.SignalListItemFactory();
    factory.connect('setup', (f, item) => item.set_child(new Gtk.Label({xalign: 0})));
    const labels = new Map(); // the rows' widgets by position
    factory.connect('bind', (f, item) => {
        labels.set(item.get_position(), item.get_child());
        item.get_child().set_label(`${item.get_item().start_text}  ${item.get_item().title}`);
    });
    const rows = new Gtk.ListView({model: new Gtk.NoSelection({model}), factory, single_click_activate: true, vexpand: true});
    rows.connect('activate', (view, position) => { clicked = chapters.emit('seek-chapter', model.get_item(position).index); });
    const box = new Gtk.Box({orientation: Gtk.Orientation.VERTICAL, spacing: 12,
        margin_top: 18, margin_bottom: 18, margin_start: 18, margin_end: 18});
    [title, bar, rows].forEach(child => box.append(child));
    window.set_child(box); window.present();
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, 100, () => {
        const [[ok, position], [ok2, duration]] = [playbin.query_position(Gst.Format.TIME), playbin.query_duration(Gst.Format.TIME)];
        if (ok && ok2) { bar.set_duration(duration); bar.set_position(position); model.set_position(position); }
        return true;
    });
    if (opts['show-row']) // where that row is, for a pointer to click it
        GLib.timeout_add(GLib.PRIORITY_DEFAULT, 2000, () => print('row at:', ...middle(labels.get(opts['show-row'] - 1), window)) ?? false);
    if (opts['quit-after'])
        GLib.timeout_add(GLib.PRIORITY_DEFAULT, Number(opts['quit-after']) * 1000, () => { print('title:', title.get_label()); app.quit(); return false; });
    playbin.set_state(Gst.State.PLAYING);
});
app.run([system.programInvocationName]);
playbin.set_state(Gst.State.NULL);
