// A small helper to build elements. Text always goes in as text nodes: nothing here
// parses HTML, so text from the server can never become markup.

// el creates <tag>, sets attributes (an attribute whose value is null, undefined or
// false is left out; true gives an empty attribute) and appends the children: nodes as
// they are, strings as text, arrays flattened, null and false skipped.
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (/^on/i.test(name)) {
      throw new Error(`el: event handler attribute ${name}: use addEventListener`);
    }
    node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(node, child);
    } else if (child instanceof Node) {
      node.appendChild(child);
    } else {
      node.appendChild(document.createTextNode(String(child)));
    }
  }
}

// svg creates an SVG element (for the decorative icon).
export function svg(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    node.setAttribute(name, String(value));
  }
  return node;
}

// textBlocks renders plain text from the server: a paragraph (class cls) per
// blank-line-separated block with its line breaks kept, and lines that start with
// "- " as a list (class cls-list), so that a screen reader announces them as one.
export function textBlocks(t, cls) {
  const out = [];
  for (const block of String(t || "").split(/\n\s*\n/)) {
    let parts = [];
    let list = null;
    const flush = () => {
      if (parts.length > 0) {
        out.push(el("p", { class: cls }, parts));
        parts = [];
      }
    };
    for (const line of block.split("\n")) {
      const item = /^\s*- (.*)$/.exec(line);
      if (item) {
        if (!list) {
          flush();
          list = el("ul", { class: `${cls}-list` });
          out.push(list);
        }
        list.appendChild(el("li", null, item[1]));
        continue;
      }
      list = null;
      if (line.trim() === "") {
        continue;
      }
      if (parts.length > 0) {
        parts.push(el("br"));
      }
      parts.push(line);
    }
    flush();
  }
  return out;
}
