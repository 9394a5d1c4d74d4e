// The project's own WCAG checks, run in the page beside axe-core: contrast maths (WCAG 2.1 relative luminance),
// SVG text contrast (axe skips SVG), visible focus, 44×44 targets, lang, labels and alt. Defines window.yueduA11y.
window.yueduA11y = (() => {
  // --- colour maths ---------------------------------------------------------------------------------------------
  function parseColor(text) {
    // Chromium gives computed colours as rgb()/rgba(); hex is accepted for the unit tests.
    const s = String(text).trim().toLowerCase();
    if (s === 'transparent' || s === 'none' || s === '') return [0, 0, 0, 0];
    let m = s.match(/^#([0-9a-f]{3,8})$/);
    if (m) {
      let h = m[1];
      if (h.length <= 4) h = [...h].map(c => c + c).join('');
      const n = [0, 2, 4, 6].map(i => (i < h.length ? parseInt(h.slice(i, i + 2), 16) : 255));
      return [n[0], n[1], n[2], n[3] / 255];
    }
    m = s.match(/^rgba?\(([^)]+)\)$/);
    if (!m) return null;
    const parts = m[1].split(/[\s,/]+/).filter(Boolean).map(p => p.endsWith('%') ? parseFloat(p) / 100 : parseFloat(p));
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  }
  function channel(c) {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  }
  function luminance(rgb) { return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]); }
  function contrast(a, b) {
    const la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }
  function over(top, bottom) {  // `top` (with alpha) composed over an opaque `bottom`
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  }
  function isLarge(px, weight) { return px >= 24 || (px >= 18.66 && weight >= 700); }

  // --- backgrounds ----------------------------------------------------------------------------------------------
  // The colour behind an HTML element: its own and its ancestors' backgrounds composed down to the canvas (white).
  // A background image or gradient on the way makes the answer unknown: reported, never guessed.
  function backgroundOf(el) {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage && style.backgroundImage !== 'none') {
        return {unknown: 'background-image', element: describe(node)};
      }
      const colour = parseColor(style.backgroundColor);
      if (colour && colour[3] > 0) {
        layers.push(colour);
        if (colour[3] >= 1) break;
      }
    }
    let result = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) result = over(layers[i], result);
    return {colour: result};
  }
  const SVG_SHAPES = new Set(['rect', 'path', 'circle', 'ellipse', 'polygon', 'polyline']);
  // Behind SVG text: the topmost filled shape under its centre, else the HTML background under the SVG.
  function svgBackground(textEl) {
    const box = textEl.getBoundingClientRect();
    const stack = document.elementsFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    const layers = [];
    const start = stack.findIndex(node => node === textEl || textEl.contains(node));
    for (const node of stack.slice(start + 1)) {  // paint order: what lies under the text
      const tag = node.tagName.toLowerCase();
      if (textEl.contains(node)) continue;
      if (node instanceof SVGElement && tag !== 'svg') {
        if (!SVG_SHAPES.has(tag)) continue;
        const fill = fillOf(node);
        if (!fill) continue;
        layers.push(fill);
        if (fill[3] >= 1) break;
      } else {
        const under = backgroundOf(node);
        if (under.unknown) return under;
        layers.push(under.colour);
        break;
      }
    }
    let result = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) result = over(layers[i], result);
    return {colour: result};
  }

  // --- helpers --------------------------------------------------------------------------------------------------
  function describe(el) {
    const id = el.id ? '#' + el.id : '';
    const names = (el.getAttribute('class') || '').trim();  // SVG elements' className is no string
    const cls = names ? '.' + names.split(/\s+/).join('.') : '';
    return el.tagName.toLowerCase() + id + cls;
  }
  function visible(el) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && el.getClientRects().length > 0;
  }
  function round(x) { return Math.round(x * 100) / 100; }
  function opacityOf(el) {  // an element's own opacity times its ancestors' (SVG groups fade tooltips this way)
    let alpha = 1;
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      alpha *= parseFloat(getComputedStyle(node).opacity || '1');
    }
    return alpha;
  }
  function fillOf(el) {  // an SVG element's fill with fill-opacity and opacity applied, or null when unfilled
    const style = getComputedStyle(el);
    const fill = parseColor(style.fill);
    if (!fill) return null;
    const alpha = fill[3] * parseFloat(style.fillOpacity || '1') * opacityOf(el);
    return alpha > 0 ? [fill[0], fill[1], fill[2], alpha] : null;
  }

  // --- checks ---------------------------------------------------------------------------------------------------
  function svgTextContrast() {
    const results = [];
    for (const el of document.querySelectorAll('svg text')) {
      if (!visible(el) || !el.textContent.trim() || opacityOf(el) === 0) continue;
      const style = getComputedStyle(el);
      const fill = fillOf(el);
      const bg = svgBackground(el);
      const px = parseFloat(style.fontSize), weight = parseInt(style.fontWeight, 10) || 400;
      const required = isLarge(px, weight) ? 3 : 4.5;
      if (bg.unknown || !fill) { results.push({text: el.textContent.trim(), unknown: bg.unknown || 'fill'}); continue; }
      const ratio = contrast(over(fill, bg.colour), bg.colour);
      results.push({text: el.textContent.trim().slice(0, 40), ratio: round(ratio), required, px, pass: ratio >= required});
    }
    return results;
  }
  // Chart marks (bars, slices, points) against what is behind them: 3:1 (WCAG 1.4.11). A filled rect that encloses a
  // later shape is a backdrop (pygal's background and plot area), not a mark; unfilled strokes (guide lines) are no marks.
  function svgGraphicContrast() {
    const results = [];
    const inside = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5
      && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
    for (const svg of document.querySelectorAll('svg')) {
      if (!visible(svg) || opacityOf(svg) === 0) continue;
      const under = backgroundOf(svg.parentElement || svg);
      if (under.unknown) { results.push({element: describe(svg), unknown: under.unknown}); continue; }
      const shapes = [...svg.querySelectorAll('rect, path, circle, ellipse, polygon')].filter(el => visible(el) && fillOf(el));
      const boxes = shapes.map(el => el.getBoundingClientRect());
      const backdrop = shapes.map((el, i) => el.tagName.toLowerCase() === 'rect'
        && boxes.some((b, j) => j > i && inside(b, boxes[i])));
      shapes.forEach((el, i) => {
        if (backdrop[i]) return;
        const x = boxes[i].left + boxes[i].width / 2, y = boxes[i].top + boxes[i].height / 2;
        let bg = under.colour;
        shapes.forEach((other, j) => {
          const b = boxes[j];
          if (j < i && backdrop[j] && x >= b.left && x <= b.right && y >= b.top && y <= b.bottom) bg = over(fillOf(other), bg);
        });
        const ratio = contrast(over(fillOf(el), bg), bg);
        results.push({element: describe(el), ratio: round(ratio), required: 3, pass: ratio >= 3});
      });
    }
    return results;
  }
  // Symbols axe cannot judge as text (a legend's ■): graphics, so 3:1 against their background (WCAG 1.4.11).
  function graphicContrast(selectors) {
    return selectors.map(selector => {
      const el = document.querySelector(selector);
      if (!el) return {element: selector, unknown: 'missing'};
      const bg = backgroundOf(el);
      if (bg.unknown) return {element: selector, unknown: bg.unknown};
      const ratio = contrast(over(parseColor(getComputedStyle(el).color), bg.colour), bg.colour);
      return {element: selector, text: el.textContent.trim(), ratio: round(ratio), required: 3, pass: ratio >= 3};
    });
  }
  const FOCUSABLE = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  // Each focusable element is focused in turn (after one real Tab, so Chromium applies :focus-visible) and its
  // outline measured: a style, at least 2px, and 3:1 against what surrounds it (WCAG 1.4.11).
  function focusStyles() {
    const results = [];
    for (const el of document.querySelectorAll(FOCUSABLE)) {
      if (el.disabled) continue;
      el.focus();
      if (document.activeElement !== el || !visible(el)) continue;
      const style = getComputedStyle(el);
      const width = parseFloat(style.outlineWidth) || 0;
      const colour = parseColor(style.outlineColor);
      const around = backgroundOf(el.parentElement || el);
      const ratio = around.colour && colour ? contrast(over(colour, around.colour), around.colour) : null;
      results.push({element: describe(el), focusVisible: el.matches(':focus-visible'), outlineStyle: style.outlineStyle,
                    outlineWidth: width, ratio: ratio === null ? null : round(ratio),
                    pass: el.matches(':focus-visible') && style.outlineStyle !== 'none' && width >= 2
                          && ratio !== null && ratio >= 3});
    }
    document.activeElement && document.activeElement.blur && document.activeElement.blur();
    return results;
  }
  // A field's edge must be seen (WCAG 1.4.11): its border, or else its own background, ≥ 3:1 against the page.
  // Checkboxes, radios and file pickers are drawn by the browser (not styled here) and are left to it; a button
  // drawn as bare text (no border, no fill) is known by its words, as WCAG's understanding of 1.4.11 allows.
  function controlBoundaries() {
    const results = [];
    const fields = 'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file])'
      + ':not([type=submit]):not([type=button]), select, textarea, button';
    for (const el of document.querySelectorAll(fields)) {
      if (!visible(el)) continue;
      const style = getComputedStyle(el);
      const bare = (parseFloat(style.borderTopWidth) || 0) === 0 && (parseColor(style.backgroundColor) || [0, 0, 0, 0])[3] === 0;
      if (el.tagName === 'BUTTON' && bare) continue;
      const around = backgroundOf(el.parentElement || el);
      if (around.unknown) { results.push({element: describe(el), unknown: around.unknown}); continue; }
      const width = parseFloat(style.borderTopWidth) || 0;
      const border = parseColor(style.borderTopColor);
      const fill = parseColor(style.backgroundColor) || [0, 0, 0, 0];
      const edge = style.borderTopStyle !== 'none' && width > 0 && border && border[3] > 0 ? over(border, around.colour) : null;
      const ratios = [edge ? contrast(edge, around.colour) : 0, contrast(over(fill, around.colour), around.colour)];
      const ratio = Math.max(...ratios);
      results.push({element: describe(el), ratio: round(ratio), pass: ratio >= 3});
    }
    return results;
  }
  // WCAG 2.5.5's exception: a link inside a sentence (its parent also holds text of its own) needs no 44px box.
  function inSentence(el) {
    const parent = el.parentElement;
    return !!parent && [...parent.childNodes].some(n => n.nodeType === 3 && n.textContent.trim().length > 0);
  }
  function targetSizes() {
    const results = [];
    const selector = 'a[href], button, input[type=submit], input[type=button], input[type=reset], .button, summary';
    for (const el of document.querySelectorAll(selector)) {
      if (!visible(el) || (el.tagName === 'A' && inSentence(el))) continue;
      const box = el.getBoundingClientRect();
      results.push({element: describe(el), text: el.textContent.trim().slice(0, 30), width: round(box.width),
                    height: round(box.height), pass: box.width >= 44 - 0.01 && box.height >= 44 - 0.01});
    }
    return results;
  }
  // Reflow (WCAG 1.4.10): at 320 CSS px nothing may stick out sideways, except data tables and preformatted text
  // (two-dimensional content WCAG exempts) and what is parked off-screen on purpose (the skip link).
  function reflowOverflow() {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('table, pre, svg') || !visible(el)) continue;
      const box = el.getBoundingClientRect();
      if (box.right <= 0 || box.bottom <= 0) continue;  // parked off-screen
      if (box.right > window.innerWidth + 1) out.push({element: describe(el), right: round(box.right)});
    }
    return out;
  }
  function accessibleName(el) {
    if (el.getAttribute('aria-label') && el.getAttribute('aria-label').trim()) return el.getAttribute('aria-label').trim();
    const by = el.getAttribute('aria-labelledby');
    if (by) return by.split(/\s+/).map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
    if (el.labels && el.labels.length) return [...el.labels].map(l => l.textContent).join(' ').trim();
    return (el.getAttribute('title') || '').trim();
  }
  function unnamedControls() {
    return [...document.querySelectorAll('input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea')]
      .filter(el => !accessibleName(el)).map(describe);
  }
  function imagesWithoutAlt() {
    return [...document.querySelectorAll('img:not([alt]), input[type=image]:not([alt])')]
      .map(el => el.getAttribute('src') || describe(el));
  }
  function pageLanguage() { return document.documentElement.getAttribute('lang') || ''; }

  return {parseColor, luminance, contrast, over, isLarge, backgroundOf, svgTextContrast, svgGraphicContrast,
          graphicContrast, controlBoundaries, reflowOverflow, focusStyles, targetSizes, unnamedControls,
          imagesWithoutAlt, pageLanguage};
})();
