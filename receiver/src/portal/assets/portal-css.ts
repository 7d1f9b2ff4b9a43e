/** The portal's stylesheet, served as /admin/assets/portal.css (kept in TypeScript so `tsc` ships it in dist/). */
export const PORTAL_CSS = String.raw`
:root {
  --bg: #f5f6f8; --panel: #ffffff; --text: #1d2330; --muted: #5b6475; --line: #dde1e8;
  --accent: #1f56c4; --accent-dark: #163f91; --accent-soft: #e8eefb;
  --ok: #1c7a43; --ok-soft: #e4f4ea; --warn: #8a5a00; --warn-soft: #fdf3dc; --bad: #b3261e; --bad-soft: #fbe9e7;
  --radius: 8px; --shadow: 0 1px 2px rgba(16, 24, 40, .06), 0 1px 3px rgba(16, 24, 40, .08);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px; line-height: 1.5; color: var(--text); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
a:hover { color: var(--accent-dark); }
:focus-visible { outline: 3px solid #7aa2f7; outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--panel); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; top: .5rem; }
.shell { display: grid; grid-template-columns: 240px minmax(0, 1fr); min-height: 100vh; }
.shell > * { min-width: 0; }
.sidebar { background: #111827; color: #e5e7eb; padding: 1.25rem 1rem; display: flex; flex-direction: column; gap: 1.25rem; }
.brand { color: #fff; text-decoration: none; font-weight: 700; font-size: 1.1rem; display: block; }
.brand small { display: block; font-weight: 400; color: #9ca3af; font-size: .8rem; }
.nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 2px; }
.nav a { display: block; color: #d1d5db; text-decoration: none; padding: .45rem .7rem; border-radius: 6px; }
.nav a:hover { background: #1f2937; color: #fff; }
.nav a[aria-current="page"] { background: #2c3b57; color: #fff; font-weight: 600; }
.sidebar-foot { margin-top: auto; font-size: .85rem; color: #9ca3af; display: flex; flex-direction: column; gap: .6rem; }
.sidebar-foot a { color: #cbd5e1; }
.lang { display: flex; gap: .5rem; align-items: center; }
.lang a[aria-current="true"] { color: #fff; font-weight: 700; text-decoration: none; }
.link-button { background: none; border: 0; padding: 0; color: #cbd5e1; text-decoration: underline; cursor: pointer; font: inherit; }
main { padding: 1.75rem 2rem 3rem; max-width: 1200px; width: 100%; }
h1 { font-size: 1.55rem; margin: 0 0 .35rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
.lead { color: var(--muted); margin: 0 0 1.25rem; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); padding: 1.1rem 1.25rem; margin-bottom: 1.25rem; }
.panel > h2:first-child, .panel > h3:first-child { margin-top: 0; }
.table-wrap { overflow-x: auto; background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; }
td { overflow-wrap: anywhere; }
th, td { text-align: left; padding: .6rem .8rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: #f0f2f6; font-size: .82rem; letter-spacing: .01em; color: #404857; font-weight: 600; white-space: nowrap; }
tbody th { font-weight: 600; background: transparent; width: 1%; white-space: nowrap; }
tbody th code { word-break: normal; }
tr:last-child td { border-bottom: 0; }
.nowrap { white-space: nowrap; }
.vars code { word-break: normal; display: inline-block; margin: 0 .15rem .3rem 0; }
td input[type=text] { width: 100%; }
.nowrap code { word-break: normal; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .86em; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; }
code { background: #eef1f6; padding: .1em .35em; border-radius: 4px; word-break: break-all; }
pre code { display: block; padding: .75rem 1rem; background: #0f172a; color: #e2e8f0; border-radius: 6px; word-break: normal; overflow-x: auto; margin: .5rem 0 1rem; }
.badge { display: inline-block; padding: .1rem .5rem; border-radius: 999px; font-size: .75rem; font-weight: 600; border: 1px solid transparent; white-space: nowrap; }
.badge-idp { background: var(--accent-soft); color: var(--accent-dark); border-color: #c7d5f5; }
.badge-code, .badge-managed { background: #efe9fb; color: #4a2a8a; border-color: #d9ccf3; }
.badge-ok { background: var(--ok-soft); color: var(--ok); }
.badge-off { background: #eceef2; color: #414a5a; }
.badge-warn { background: var(--warn-soft); color: var(--warn); }
.badge-bad { background: var(--bad-soft); color: var(--bad); }
.notice { padding: .75rem 1rem; border-radius: var(--radius); margin-bottom: 1rem; border: 1px solid; }
.notice-ok { background: var(--ok-soft); border-color: #b6e0c4; color: #12532d; }
.notice-error { background: var(--bad-soft); border-color: #f1c0bb; color: #7c1a14; }
.notice-warn { background: var(--warn-soft); border-color: #f0d89a; color: #5c3c00; }
form.inline { display: inline; }
fieldset.plain { border: 0; padding: 0; margin: 0 0 .8rem; }
fieldset.plain legend { padding: 0; margin-bottom: .2rem; }
.toolbar { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; margin-bottom: 1rem; }
.field { display: flex; flex-direction: column; gap: .25rem; margin-bottom: .8rem; }
.toolbar .field { margin-bottom: 0; }
label { font-weight: 600; font-size: .88rem; }
.hint { color: var(--muted); font-size: .85rem; margin: .15rem 0 0; }
input[type=text], input[type=password], input[type=search], select, textarea {
  font: inherit; padding: .45rem .6rem; border: 1px solid #b9c0cc; border-radius: 6px; background: #fff; color: var(--text); min-width: 0;
}
textarea { width: 100%; min-height: 4rem; }
.form-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 0 1rem; max-width: 60rem; }
.panel form > .field { max-width: 60rem; }
input[type=search] { min-width: 16rem; }
.check { display: flex; gap: .6rem; align-items: flex-start; margin-bottom: .8rem; }
.check input { margin-top: .3rem; width: 1.05rem; height: 1.05rem; }
.check label { font-weight: 500; font-size: .95rem; }
button, .button {
  font: inherit; font-weight: 600; padding: .45rem .95rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent);
  color: #fff; cursor: pointer; text-decoration: none; display: inline-block; line-height: 1.4;
}
button:hover, .button:hover { background: var(--accent-dark); color: #fff; }
button.secondary, .button.secondary { background: #fff; color: var(--accent-dark); border-color: #a9b8da; }
button.secondary:hover, .button.secondary:hover { background: var(--accent-soft); color: var(--accent-dark); }
button.danger { background: #fff; color: var(--bad); border-color: #e3a29c; }
button.danger:hover { background: var(--bad-soft); color: var(--bad); }
button.small, .button.small { padding: .2rem .6rem; font-size: .85rem; }
.actions { display: flex; flex-wrap: wrap; gap: .4rem; }
.tabs { display: flex; gap: .25rem; border-bottom: 1px solid var(--line); margin: 1rem 0 1.25rem; flex-wrap: wrap; }
.tabs a { padding: .5rem .9rem; text-decoration: none; color: var(--muted); border-bottom: 3px solid transparent; margin-bottom: -1px; font-weight: 600; }
.tabs a[aria-current="page"] { color: var(--accent-dark); border-bottom-color: var(--accent); }
.pager { display: flex; gap: .75rem; align-items: center; justify-content: space-between; margin: .5rem 0 1rem; color: var(--muted); }
.pager .actions a[aria-disabled="true"] { pointer-events: none; opacity: .45; }
dl.props { display: grid; grid-template-columns: minmax(10rem, max-content) 1fr; gap: .45rem 1.25rem; margin: 0; }
dl.props dt { color: var(--muted); font-weight: 600; }
dl.props dd { margin: 0; word-break: break-word; }
.secret { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
.secret code { font-size: .95rem; padding: .4rem .6rem; background: #0f172a; color: #e2e8f0; }
ol.steps { padding-left: 1.2rem; }
ol.steps li { margin-bottom: .4rem; }
.login { min-height: 100vh; display: grid; place-items: center; padding: 1rem; }
.login .panel { width: 100%; max-width: 400px; }
.login h1 { font-size: 1.3rem; }
.login .field input { width: 100%; }
.login .lang a { color: var(--accent); }
.muted { color: var(--muted); }
.live { display: inline-flex; align-items: center; gap: .35rem; font-size: .85rem; color: var(--ok); font-weight: 600; }
.live::before { content: ""; width: .55rem; height: .55rem; border-radius: 50%; background: var(--ok); }
tr.fresh td { background: #fffbe6; }
@media (max-width: 800px) {
  .shell { grid-template-columns: minmax(0, 1fr); grid-template-rows: auto 1fr; }
  .sidebar { padding: .8rem 1rem; gap: .6rem; }
  .nav ul { flex-direction: row; flex-wrap: wrap; gap: .25rem; }
  .nav a { padding: .35rem .55rem; font-size: .9rem; }
  .sidebar-foot { flex-direction: row; flex-wrap: wrap; justify-content: space-between; margin-top: 0; }
  main { padding: 1.1rem 1rem 2rem; }
  input[type=search] { min-width: 0; width: 100%; }
  .toolbar .field { flex: 1 1 100%; }
  dl.props { grid-template-columns: 1fr; gap: .1rem; }
  dl.props dd { margin-bottom: .5rem; }
  th, td { padding: .5rem .55rem; }
}
`;
