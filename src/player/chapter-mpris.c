/* gst-chapters: MPRIS 2 (org.mpris.MediaPlayer2) over GDBus. */
#include "config.h"
#include "chapter-mpris.h"

#include <unistd.h>
#include <gio/gio.h>

#define MPRIS_PATH "/org/mpris/MediaPlayer2"
#define ROOT_IFACE "org.mpris.MediaPlayer2"
#define PLAYER_IFACE "org.mpris.MediaPlayer2.Player"
#define NO_TRACK "/org/mpris/MediaPlayer2/TrackList/NoTrack"

static const gchar introspection_xml[] =
    "<node>"
    " <interface name='org.mpris.MediaPlayer2'>"
    "  <method name='Raise'/>"
    "  <method name='Quit'/>"
    "  <property name='CanQuit' type='b' access='read'/>"
    "  <property name='CanRaise' type='b' access='read'/>"
    "  <property name='HasTrackList' type='b' access='read'/>"
    "  <property name='Identity' type='s' access='read'/>"
    "  <property name='DesktopEntry' type='s' access='read'/>"
    "  <property name='SupportedUriSchemes' type='as' access='read'/>"
    "  <property name='SupportedMimeTypes' type='as' access='read'/>"
    " </interface>"
    " <interface name='org.mpris.MediaPlayer2.Player'>"
    "  <method name='Next'/>"
    "  <method name='Previous'/>"
    "  <method name='Pause'/>"
    "  <method name='PlayPause'/>"
    "  <method name='Stop'/>"
    "  <method name='Play'/>"
    "  <method name='Seek'><arg direction='in' name='Offset' type='x'/>"
    "  </method>"
    "  <method name='SetPosition'>"
    "   <arg direction='in' name='TrackId' type='o'/>"
    "   <arg direction='in' name='Position' type='x'/>"
    "  </method>"
    "  <method name='OpenUri'><arg direction='in' name='Uri' type='s'/>"
    "  </method>"
    "  <signal name='Seeked'><arg name='Position' type='x'/></signal>"
    "  <property name='PlaybackStatus' type='s' access='read'/>"
    "  <property name='Rate' type='d' access='readwrite'/>"
    "  <property name='Metadata' type='a{sv}' access='read'/>"
    "  <property name='Volume' type='d' access='readwrite'/>"
    "  <property name='Position' type='x' access='read'/>"
    "  <property name='MinimumRate' type='d' access='read'/>"
    "  <property name='MaximumRate' type='d' access='read'/>"
    "  <property name='CanGoNext' type='b' access='read'/>"
    "  <property name='CanGoPrevious' type='b' access='read'/>"
    "  <property name='CanPlay' type='b' access='read'/>"
    "  <property name='CanPause' type='b' access='read'/>"
    "  <property name='CanSeek' type='b' access='read'/>"
    "  <property name='CanControl' type='b' access='read'/>"
    " </interface>"
    "</node>";

/* what the players open (the desktop entry's list) */
static const gchar *const mime_types[] = {
  "audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/aac", "audio/ogg",
  "audio/opus", "audio/flac", "audio/x-flac", "audio/x-matroska",
  "audio/webm", NULL
};

static const gchar *const uri_schemes[] = { "file", "http", "https", NULL };

struct _ChapterMpris
{
  ChapterMprisOptions options;
  gchar *name;
  gchar *identity;
  gchar *desktop_entry;
  guint owner;
  GDBusConnection *bus;
  guint objects[2];
  ChapterPlayer *player;
  gulong handlers[6];
  guint episode;                /* counts the players set: the track id */
  gboolean stopped;
};

static gchar *
track_id (ChapterMpris * self)
{
  return g_strdup_printf ("/org/gstchapters/Player/episode/%u",
      self->episode);
}

/* The index of the chapter heard now in *@list, the player's chapters
 * (NULL with no player); -1 outside any. */
static gint
current_index (ChapterMpris * self, const ChapterList ** list)
{
  gint current;

  *list = self->player ? chapter_player_get_chapters (self->player) : NULL;
  if (*list == NULL)
    return -1;
  current = chapter_player_get_current (self->player);
  return current >= 0 && (guint) current < (*list)->chapters->len ?
      current : -1;
}

/* The chapter heard now, or NULL. */
static const Chapter *
current_chapter (ChapterMpris * self)
{
  const ChapterList *list;
  gint current = current_index (self, &list);

  return current >= 0 ? g_ptr_array_index (list->chapters, current) : NULL;
}

static GVariant *
metadata (ChapterMpris * self)
{
  GVariantBuilder b;
  g_autofree gchar *id = NULL, *uri = NULL;
  const Chapter *chapter = current_chapter (self);
  const gchar *episode;
  gint64 duration;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("a{sv}"));
  if (self->player == NULL) {
    g_variant_builder_add (&b, "{sv}", "mpris:trackid",
        g_variant_new_object_path (NO_TRACK));
    return g_variant_builder_end (&b);
  }
  id = track_id (self);
  episode = chapter_player_get_title (self->player);
  g_variant_builder_add (&b, "{sv}", "mpris:trackid",
      g_variant_new_object_path (id));
  g_variant_builder_add (&b, "{sv}", "xesam:title", g_variant_new_string
      (chapter && chapter->title ? chapter->title : episode));
  g_variant_builder_add (&b, "{sv}", "xesam:album",
      g_variant_new_string (episode));
  duration = chapter_player_get_duration (self->player);
  if (duration > 0)
    g_variant_builder_add (&b, "{sv}", "mpris:length",
        g_variant_new_int64 (duration / 1000));
  g_object_get (chapter_player_get_pipeline (self->player), "current-uri",
      &uri, NULL);
  if (uri)
    g_variant_builder_add (&b, "{sv}", "xesam:url", g_variant_new_string (uri));
  if (chapter && chapter->image_url)
    g_variant_builder_add (&b, "{sv}", "mpris:artUrl",
        g_variant_new_string (chapter->image_url));
  return g_variant_builder_end (&b);
}

static const gchar *
playback_status (ChapterMpris * self)
{
  if (self->player == NULL || self->stopped)
    return "Stopped";
  return chapter_player_is_playing (self->player) ? "Playing" : "Paused";
}

static gboolean
can_go (ChapterMpris * self, gint step)
{
  const ChapterList *list;
  gint current = current_index (self, &list);

  if (list == NULL)
    return FALSE;
  if (step > 0)
    return current + 1 < (gint) list->chapters->len;
  /* (previous: the start of this chapter, or the one before) */
  return current >= 0;
}

static GVariant *
get_property (GDBusConnection * connection, const gchar * sender,
    const gchar * path, const gchar * iface, const gchar * name,
    GError ** error, gpointer data)
{
  ChapterMpris *self = data;

  if (g_str_equal (iface, ROOT_IFACE)) {
    if (g_str_equal (name, "CanQuit"))
      return g_variant_new_boolean (self->options.quit != NULL);
    if (g_str_equal (name, "CanRaise"))
      return g_variant_new_boolean (self->options.raise != NULL);
    if (g_str_equal (name, "HasTrackList"))
      return g_variant_new_boolean (FALSE);
    if (g_str_equal (name, "Identity"))
      return g_variant_new_string (self->identity);
    if (g_str_equal (name, "DesktopEntry"))
      return g_variant_new_string (self->desktop_entry ?
          self->desktop_entry : "");
    if (g_str_equal (name, "SupportedUriSchemes"))
      return g_variant_new_strv (uri_schemes, -1);
    if (g_str_equal (name, "SupportedMimeTypes"))
      return g_variant_new_strv (mime_types, -1);
  } else {
    if (g_str_equal (name, "PlaybackStatus"))
      return g_variant_new_string (playback_status (self));
    if (g_str_equal (name, "Rate"))
      return g_variant_new_double (self->player ?
          chapter_player_get_rate (self->player) : 1.0);
    if (g_str_equal (name, "MinimumRate"))
      return g_variant_new_double (CHAPTER_PLAYER_MIN_RATE);
    if (g_str_equal (name, "MaximumRate"))
      return g_variant_new_double (CHAPTER_PLAYER_MAX_RATE);
    if (g_str_equal (name, "Metadata"))
      return metadata (self);
    if (g_str_equal (name, "Volume")) {
      gdouble volume = 0;

      if (self->player)
        g_object_get (chapter_player_get_pipeline (self->player), "volume",
            &volume, NULL);
      return g_variant_new_double (volume);
    }
    if (g_str_equal (name, "Position"))
      return g_variant_new_int64 (self->player && !self->stopped ?
          MAX (chapter_player_get_position (self->player), 0) / 1000 : 0);
    if (g_str_equal (name, "CanGoNext"))
      return g_variant_new_boolean (can_go (self, 1));
    if (g_str_equal (name, "CanGoPrevious"))
      return g_variant_new_boolean (can_go (self, -1));
    if (g_str_equal (name, "CanPlay") || g_str_equal (name, "CanPause")
        || g_str_equal (name, "CanSeek"))
      return g_variant_new_boolean (self->player != NULL);
    if (g_str_equal (name, "CanControl"))
      return g_variant_new_boolean (TRUE);
  }
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
      "no property %s.%s", iface, name);
  return NULL;
}

static gboolean
set_property (GDBusConnection * connection, const gchar * sender,
    const gchar * path, const gchar * iface, const gchar * name,
    GVariant * value, GError ** error, gpointer data)
{
  ChapterMpris *self = data;

  if (g_str_equal (name, "Volume")) {
    if (self->player)
      g_object_set (chapter_player_get_pipeline (self->player), "volume",
          CLAMP (g_variant_get_double (value), 0.0, 1.0), NULL);
    return TRUE;
  }
  if (g_str_equal (name, "Rate")) {
    /* (the spec: a rate of 0 is a pause) */
    gdouble rate = g_variant_get_double (value);

    if (self->player && rate <= 0.0)
      chapter_player_pause (self->player);
    else if (self->player)
      chapter_player_set_rate (self->player, rate);
    return TRUE;
  }
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_PROPERTY_READ_ONLY,
      "%s is read-only", name);
  return FALSE;
}

/* Tells clients what changed: @names, NULL-terminated. */
static void
emit_changed (ChapterMpris * self, const gchar * iface, ...)
{
  static const gchar *const no_names[] = { NULL };
  GVariantBuilder b;
  const gchar *name;
  va_list args;

  if (self->bus == NULL)
    return;
  g_variant_builder_init (&b, G_VARIANT_TYPE ("a{sv}"));
  va_start (args, iface);
  while ((name = va_arg (args, const gchar *))) {
    GVariant *value = get_property (self->bus, NULL, MPRIS_PATH, iface, name,
        NULL, self);

    if (value)
      g_variant_builder_add (&b, "{sv}", name, value);
  }
  va_end (args);
  g_dbus_connection_emit_signal (self->bus, NULL, MPRIS_PATH,
      "org.freedesktop.DBus.Properties", "PropertiesChanged",
      g_variant_new ("(sa{sv}^as)", iface, &b, no_names), NULL);
}

static void
emit_seeked (ChapterMpris * self, gint64 position)
{
  if (self->bus)
    g_dbus_connection_emit_signal (self->bus, NULL, MPRIS_PATH, PLAYER_IFACE,
        "Seeked", g_variant_new ("(x)", MAX (position, 0) / 1000), NULL);
}

/* A jump to @position (ns) in the episode. */
static void
seek_to (ChapterMpris * self, gint64 position)
{
  gint64 duration = chapter_player_get_duration (self->player);

  if (position < 0)
    position = 0;
  if (duration > 0 && position > duration) {
    /* past the end: as the spec says, the next track (there is none) */
    return;
  }
  if (chapter_player_seek (self->player, position))
    emit_seeked (self, position);
}

static void
method_call (GDBusConnection * connection, const gchar * sender,
    const gchar * path, const gchar * iface, const gchar * method,
    GVariant * params, GDBusMethodInvocation * invocation, gpointer data)
{
  ChapterMpris *self = data;
  ChapterPlayer *player = self->player;

  if (g_str_equal (method, "Raise")) {
    if (self->options.raise)
      self->options.raise (self->options.data);
  } else if (g_str_equal (method, "Quit")) {
    if (self->options.quit)
      self->options.quit (self->options.data);
  } else if (g_str_equal (method, "OpenUri")) {
    const gchar *uri;

    g_variant_get (params, "(&s)", &uri);
    if (self->options.open_uri == NULL) {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
          G_DBUS_ERROR_NOT_SUPPORTED, "this player opens no URI");
      return;
    }
    self->options.open_uri (uri, self->options.data);
  } else if (player == NULL) {
    /* (nothing to control: the methods do nothing, as the spec says) */
  } else if (g_str_equal (method, "Next")) {
    if (chapter_player_next (player))
      emit_seeked (self, chapter_player_get_position (player));
  } else if (g_str_equal (method, "Previous")) {
    if (chapter_player_previous (player))
      emit_seeked (self, chapter_player_get_position (player));
  } else if (g_str_equal (method, "Pause")) {
    chapter_player_pause (player);
  } else if (g_str_equal (method, "Play")) {
    if (self->stopped)
      chapter_player_seek (player, 0);
    self->stopped = FALSE;
    chapter_player_play (player);
  } else if (g_str_equal (method, "PlayPause")) {
    self->stopped = FALSE;
    chapter_player_toggle (player);
  } else if (g_str_equal (method, "Stop")) {
    /* paused at the start: Play plays from there */
    chapter_player_pause (player);
    self->stopped = TRUE;
    emit_changed (self, PLAYER_IFACE, "PlaybackStatus", NULL);
  } else if (g_str_equal (method, "Seek")) {
    gint64 offset;

    g_variant_get (params, "(x)", &offset);
    seek_to (self, MAX (chapter_player_get_position (player), 0) +
        offset * 1000);
  } else if (g_str_equal (method, "SetPosition")) {
    const gchar *track;
    gint64 position;
    g_autofree gchar *id = track_id (self);

    g_variant_get (params, "(&ox)", &track, &position);
    /* (a position for another track is ignored, as the spec says) */
    if (g_str_equal (track, id) && position >= 0)
      seek_to (self, position * 1000);
  }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable vtable = {
  method_call, get_property, set_property, {0}
};

static void
on_bus_acquired (GDBusConnection * bus, const gchar * name, gpointer data)
{
  ChapterMpris *self = data;
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml
      (introspection_xml, NULL);

  self->bus = g_object_ref (bus);
  for (guint i = 0; i < 2; i++)
    self->objects[i] = g_dbus_connection_register_object (bus, MPRIS_PATH,
        info->interfaces[i], &vtable, self, NULL, NULL);
}

ChapterMpris *
chapter_mpris_new (const ChapterMprisOptions * options)
{
  ChapterMpris *self = g_new0 (ChapterMpris, 1);

  self->options = *options;
  self->identity = g_strdup (options->identity);
  self->desktop_entry = g_strdup (options->desktop_entry);
  self->options.identity = self->options.desktop_entry = NULL;
  /* one name per process, as the spec asks of several instances */
  self->name = g_strdup_printf ("org.mpris.MediaPlayer2.%s.instance%d",
      options->name, (gint) getpid ());
  self->options.name = NULL;
  self->owner = g_bus_own_name (G_BUS_TYPE_SESSION, self->name,
      G_BUS_NAME_OWNER_FLAGS_NONE, on_bus_acquired, NULL, NULL, self, NULL);
  return self;
}

static void
on_metadata_changed (ChapterMpris * self)
{
  emit_changed (self, PLAYER_IFACE, "Metadata", "CanGoNext", "CanGoPrevious",
      NULL);
}

static void
on_state_changed (ChapterPlayer * player, gboolean playing,
    ChapterMpris * self)
{
  if (playing)
    self->stopped = FALSE;
  emit_changed (self, PLAYER_IFACE, "PlaybackStatus", NULL);
}

static void
on_eos (ChapterPlayer * player, ChapterMpris * self)
{
  self->stopped = TRUE;
  emit_changed (self, PLAYER_IFACE, "PlaybackStatus", NULL);
}

static void
on_rate_changed (ChapterMpris * self)
{
  emit_changed (self, PLAYER_IFACE, "Rate", NULL);
}

void
chapter_mpris_set_player (ChapterMpris * self, ChapterPlayer * player)
{
  if (self->player) {
    for (guint i = 0; i < G_N_ELEMENTS (self->handlers); i++)
      g_clear_signal_handler (&self->handlers[i], self->player);
    g_clear_object (&self->player);
  }
  if (player) {
    self->player = g_object_ref (player);
    self->handlers[0] = g_signal_connect_swapped (player, "chapter-changed",
        G_CALLBACK (on_metadata_changed), self);
    self->handlers[1] = g_signal_connect_swapped (player, "chapters-changed",
        G_CALLBACK (on_metadata_changed), self);
    self->handlers[2] = g_signal_connect_swapped (player, "title-changed",
        G_CALLBACK (on_metadata_changed), self);
    self->handlers[3] = g_signal_connect (player, "state-changed",
        G_CALLBACK (on_state_changed), self);
    self->handlers[4] = g_signal_connect (player, "eos",
        G_CALLBACK (on_eos), self);
    self->handlers[5] = g_signal_connect_swapped (player, "rate-changed",
        G_CALLBACK (on_rate_changed), self);
  }
  self->episode++;
  self->stopped = FALSE;
  emit_changed (self, PLAYER_IFACE, "Metadata", "PlaybackStatus", "CanPlay",
      "CanPause", "CanSeek", "CanGoNext", "CanGoPrevious", NULL);
}

void
chapter_mpris_free (ChapterMpris * self)
{
  if (self == NULL)
    return;
  chapter_mpris_set_player (self, NULL);
  for (guint i = 0; i < 2; i++)
    if (self->objects[i])
      g_dbus_connection_unregister_object (self->bus, self->objects[i]);
  g_bus_unown_name (self->owner);
  g_clear_object (&self->bus);
  g_free (self->name);
  g_free (self->identity);
  g_free (self->desktop_entry);
  g_free (self);
}
