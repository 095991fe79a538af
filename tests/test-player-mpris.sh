#!/usr/bin/env bash
# The GTK player on a session bus of its own, under Xvfb, driven as the
# desktop's media controls drive it: with playerctl (MPRIS 2). The title is
# the chapter heard, Next and Previous go by chapter, SetPosition and Seek
# jump, the status follows. Speaks TAP.
#   test-player-mpris.sh CHAPTERPLAYER-GTK EPISODE
# (run inside dbus-run-session: see tests/meson.build)
set -u
player=$1
episode=$2
export GSK_RENDERER=cairo NO_AT_BRIDGE=1 GTK_A11Y=none
# positions kept for resuming go here, not to the user's state folder:
# the episode starts from the beginning
XDG_STATE_HOME=$(mktemp -d)
export XDG_STATE_HOME
. "$(dirname "$0")/tap.sh"

xvfb-run -a -s "-screen 0 1024x768x24" \
  "$player" --no-audio --play-for 60 "$episode" >/dev/null 2>"/tmp/mpris-test-err.$$" &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; wait 2>/dev/null; rm -f /tmp/mpris-test-err.$$; rm -rf "$XDG_STATE_HOME"' EXIT

pc() { playerctl -p chapterplayer "$@" 2>/dev/null; }
# wait_for COMMAND PATTERN WHAT: the output of `pc COMMAND` matches within
# 10 s
wait_for() {
  local out=
  for _ in $(seq 1 100); do
    out=$(pc $1)
    if echo "$out" | grep -qE "$2"; then ok "$3"; return 0; fi
    sleep 0.1
  done
  not_ok "$3 (wanted /$2/ from playerctl $1, got '$out')"
  sed 's/^/# /' "/tmp/mpris-test-err.$$" | tail -5
}
# in_range LOW HIGH WHAT: the position, in seconds
in_range() {
  local pos
  pos=$(pc position)
  if awk -v p="$pos" -v lo="$1" -v hi="$2" 'BEGIN { exit !(p >= lo && p <= hi) }'; then
    ok "$3 (at $pos s)"
  else
    not_ok "$3 (at '$pos' s, wanted $1-$2)"
  fi
}

echo "1..14"
found=
for _ in $(seq 1 100); do
  found=$(playerctl -l 2>/dev/null | grep '^chapterplayer\.instance')
  [ -n "$found" ] && break
  sleep 0.1
done
if [ -n "$found" ]; then ok "on the session bus as $found"; else not_ok "on the session bus"; fi
wait_for status '^Playing$' "the status says Playing"
wait_for "metadata mpris:length" '^2666000000$' "the length is the episode's (2666 s)"
pc position 660
wait_for "metadata xesam:title" '^Prediction Limits$' "SetPosition to 11:00: the title is Prediction Limits"
in_range 660 664 "the position is 11:00"
pc next
wait_for "metadata xesam:title" '^Data and Input Modalities$' "Next: the next chapter"
in_range 1060 1064 "at its start (17:40)"
pc previous
wait_for "metadata xesam:title" '^Prediction Limits$' "Previous: back to Prediction Limits"
# Rate (playerctl has no command for it): 1.5x, read back
name="org.mpris.MediaPlayer2.$found"
gdbus call --session -d "$name" -o /org/mpris/MediaPlayer2 \
  -m org.freedesktop.DBus.Properties.Set org.mpris.MediaPlayer2.Player Rate "<1.5>" >/dev/null 2>&1
rate=$(gdbus call --session -d "$name" -o /org/mpris/MediaPlayer2 \
  -m org.freedesktop.DBus.Properties.Get org.mpris.MediaPlayer2.Player Rate 2>&1)
if [ "$rate" = "(<1.5>,)" ]; then ok "Rate 1.5: set and read back"; else not_ok "Rate 1.5: read back '$rate'"; fi
pc position 30+
in_range 689 696 "Seek +30 s"
pc pause
wait_for status '^Paused$' "Pause: Paused"
pc play
wait_for status '^Playing$' "Play: Playing"
pc stop
wait_for status '^Stopped$' "Stop: Stopped"
# Quit (the method playerctl has no command for): the player exits
gdbus call --session -d "$name" -o /org/mpris/MediaPlayer2 \
  -m org.mpris.MediaPlayer2.Quit >/dev/null 2>&1
for _ in $(seq 1 100); do
  kill -0 $xvfb 2>/dev/null || break
  sleep 0.1
done
if kill -0 $xvfb 2>/dev/null; then not_ok "Quit: the player exits"; else ok "Quit: the player exits"; fi
exit $failed
