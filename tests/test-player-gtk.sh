#!/usr/bin/env bash
# The GTK player under Xvfb: started with --chapter "prediction limits" at
# 1.5x, it must show that title, list the 7 chapters, the speed and the
# elapsed and total time, and save a screenshot (kept in the build folder
# as a test artefact); opened again without a chapter, it goes on where it
# was left. Speaks TAP.
#   test-player-gtk.sh CHAPTERPLAYER-GTK EPISODE SCREENSHOT
set -u
player=$1
episode=$2
shot=$3
echo "1..11"
export GSK_RENDERER=cairo NO_AT_BRIDGE=1
# positions kept for resuming go here, not to the user's state folder
XDG_STATE_HOME=$(mktemp -d)
export XDG_STATE_HOME
trap 'rm -rf "$XDG_STATE_HOME"' EXIT
run_player() {
  rm -f "$shot"
  timeout 60 xvfb-run -a -s "-screen 0 1024x768x24" \
    "$player" --no-audio "$@" --play-for 4 --screenshot "$shot" "$episode" 2>/tmp/gtk-test-err.$$
}
first=(--chapter "prediction limits" --speed 1.5)
out=$(run_player "${first[@]}")
# xvfb-run -a can lose a race for a display number to another X server
# starting at the same moment: then try once more
if [ ! -s "$shot" ]; then
  echo "# no screenshot on the first try: $(echo "$out" | grep screenshot)"
  out=$(run_player "${first[@]}")
fi
echo "$out" | sed 's/^/# /'
n=0; failed=0
check() { n=$((n + 1)); if eval "$1"; then echo "ok $n $2"; else failed=1; echo "not ok $n $2"; sed 's/^/# /' /tmp/gtk-test-err.$$; fi; }
check 'echo "$out" | grep -qx "title: Prediction Limits"' "the big title is Prediction Limits"
check 'echo "$out" | grep -qx "chapter: Chapter 4 of 7"' "it says chapter 4 of 7"
check 'echo "$out" | grep -qx "chapters: 7"' "the list has the 7 chapters"
check '[ -s "$shot" ] && [ "$(head -c 8 "$shot" | od -An -tx1 | tr -d " ")" = 89504e470d0a1a0a ]' "a screenshot was saved to $shot"
check 'echo "$out" | grep -qx "speed: 1.5"' "it plays at 1.5x (--speed 1.5)"
check 'echo "$out" | grep -qE "^time: 11:0[0-9] / 44:[0-9]{2}$"' "elapsed and total time: 11:0x / 44:xx"
check 'echo "$out" | grep -qE "^episode: .+"' "the episode's title is shown"
# pictures: a chapter's own (Podcasting 2.0 img in a sidecar), else the
# episode's cover (ID3 APIC), both looked for in the screenshot's pixels
art=$(mktemp -d)
convert -size 64x64 xc:'#ff0000' "$art/red.png"
convert -size 64x64 xc:'#0000ff' "$art/blue.png"
/usr/bin/python3 - "$CHAPTER_SOURCE_ROOT/data/episode.json" "$art" <<'PY'
import json, sys
chapters = json.load(open(sys.argv[1]))
for c in chapters["chapters"]:
    if c["title"] == "Prediction Limits":
        c["img"] = "file://" + sys.argv[2] + "/red.png"
    if c["title"] == "Early Use Cases":
        c["img"] = "file://" + sys.argv[2] + "/missing.png"
json.dump(chapters, open(sys.argv[2] + "/chapters.json", "w"))
PY
ffmpeg -loglevel error -y -i "$episode" -i "$art/blue.png" -map 0:a -map 1 -c copy \
  -id3v2_version 3 -metadata title="Stand-in Episode" \
  -metadata:s:v comment="Cover (front)" "$art/covered.mp3"
# how many pixels of the screenshot are exactly COLOR
pixels() {
  convert "$shot" -format %c histogram:info: | awk -v c="$1" 'toupper($3) == c { print $1 + 0; found = 1 } END { if (!found) print 0 }'
}
run_art() {
  rm -f "$shot"
  timeout 60 xvfb-run -a -s "-screen 0 1024x768x24" "$player" --no-audio --no-resume \
    --chapters "$art/chapters.json" "$@" --play-for 3 --screenshot "$shot" "$art/covered.mp3" 2>"$art/stderr"
}
out=$(run_art --chapter 4)
echo "$out" | sed 's/^/# chapter 4: /'
check 'echo "$out" | grep -qx "picture: chapter" && [ "$(pixels "#FF0000FF")" -ge 4096 ]' "a chapter's picture from its img URI shows in the window (red, $(pixels "#FF0000FF") pixels)"
out=$(run_art --chapter 1)
echo "$out" | sed 's/^/# chapter 1: /'
check 'echo "$out" | grep -qx "picture: cover" && [ "$(pixels "#0000FFFF")" -ge 4096 ] && echo "$out" | grep -qx "episode: Stand-in Episode"' "a chapter with no picture shows the episode's cover (ID3 APIC, blue), and the title from its tags"
out=$(run_art --chapter 2)
check 'echo "$out" | grep -qx "picture: cover" && grep -q "chapter image of \"Early Use Cases\": .*missing.png" "$art/stderr"' "a picture that cannot be fetched is named on stderr, and the cover stays"
rm -rf "$art"
# opened again, no chapter asked for: where it was left (kept in
# $XDG_STATE_HOME), at the speed asked for this time
again=$(run_player --speed 1)
echo "$again" | sed 's/^/# again: /'
check 'echo "$again" | grep -qx "title: Prediction Limits" && echo "$again" | grep -qE "^time: 11:[01][0-9] / "' "opened again: it resumes in Prediction Limits at 11:xx"
rm -f /tmp/gtk-test-err.$$
exit $failed
