#!/usr/bin/env bash
# macOS: Qingying.app (PyInstaller's BUNDLE of packaging/qingying.spec, its Info.plist
# with the qingying:// scheme from scripts/installer_inputs.py) in a .dmg. Runs on a macOS
# runner (packaging/ci/installers.yml), not on Linux.
# usage: packaging/macos/build-dmg.sh   (from the repository root, in its venv)
set -euo pipefail
python -m PyInstaller --noconfirm --distpath build/macos/dist --workpath build/macos/work \
  packaging/qingying.spec
version=$(python -c 'import viewer; print(viewer.__version__)')
stage=build/macos/dmg
rm -rf "$stage" && mkdir -p "$stage"
cp -R build/macos/dist/Qingying.app "$stage/"
ln -s /Applications "$stage/Applications"
hdiutil create -volname "Qingying $version" -srcfolder "$stage" -ov -format UDZO \
  "build/macos/Qingying-$version.dmg"
# Site configuration on a Mac: IT places /Library/Application Support/Qingying/config.toml
# (an MDM profile, or `Qingying.app/Contents/MacOS/qingying config write-site --url ...`).
