#!/bin/sh
# Rebuilds ../static/vendor/mp-editor-cm6.0.2.min.js, the design studio's
# editor (CodeMirror 6 with the agreement's JSON Schema), from entry.js and
# the exact versions in package-lock.json. Run it in a scratch copy of this
# directory (npm writes node_modules beside it):
#   cp -r internal/web/editor /tmp/cmbuild && cd /tmp/cmbuild && sh build.sh
# then copy mp-editor.js over the vendored file and mp-editor-LICENSES.txt
# (see ../static/vendor/README.md).
set -eu
npm ci
./node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --legal-comments=eof --outfile=mp-editor.js --metafile=meta.json
sha256sum mp-editor.js
