import {EditorView, basicSetup} from "codemirror";
import {EditorState} from "@codemirror/state";
import {yaml} from "@codemirror/lang-yaml";
import {yamlCompletion, yamlSchemaHover} from "codemirror-json-schema/yaml";
import {stateExtensions} from "codemirror-json-schema";
import {hoverTooltip} from "@codemirror/view";
import {yamlLanguage} from "@codemirror/lang-yaml";
import {linter, lintGutter} from "@codemirror/lint";

// MPEditor is the design studio's agreement editor: YAML with the agreement's
// JSON Schema for completion and hover, and a linter whose diagnostics come
// from the server's validator (check(text) resolves to [{line, column,
// message, severity}]): the validator knows more than the schema (the
// registry, dates, amendments), and codemirror-json-schema's own schema
// linter, which re-validates the whole 1,600-line example in the browser on
// each change, blocked the page for most of a second, so it is left out.
// nonce is the page's CSP nonce for the styles CodeMirror injects (the
// portal allows no other inline style).
window.MPEditor = {
  create(parent, doc, schema, check, onChange, nonce) {
    const serverLint = linter(async (view) => {
      const text = view.state.doc.toString();
      let problems = [];
      try { problems = await check(text); } catch (e) { return []; }
      return problems.map((p) => {
        const n = Math.min(Math.max(p.line || 1, 1), view.state.doc.lines);
        const line = view.state.doc.line(n);
        const from = Math.min(line.from + Math.max((p.column || 1) - 1, 0), line.to);
        return {from, to: Math.max(from, line.to), severity: p.severity || "error", message: p.message, source: "mineralpact"};
      });
    }, {delay: 400});
    const view = new EditorView({
      parent,
      state: EditorState.create({
        doc,
        extensions: [basicSetup, yaml(), ...(nonce ? [EditorView.cspNonce.of(nonce)] : []), lintGutter(), serverLint, ...(schema ? [yamlLanguage.data.of({autocomplete: yamlCompletion()}), hoverTooltip(yamlSchemaHover()), stateExtensions(schema)] : []),
          EditorView.updateListener.of((u) => { if (u.docChanged && onChange) onChange(u.state.doc.toString()); })],
      }),
    });
    return view;
  },
  text(view) { return view.state.doc.toString(); },
  setText(view, text) { view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: text}}); },
};
