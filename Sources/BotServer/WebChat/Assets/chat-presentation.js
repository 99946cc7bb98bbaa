// Parley web chat: how the bot asks the page to present what it shows — Meya's composer,
// header and markdown, which the server sends on a message's frame as "composer", "header"
// and "markdown" (Presentation in Parley's engine). The latest message's settings apply; a
// message without them puts the page's defaults back, as Meya's Orb does.
//
//   composer: {placeholder, visibility: show|hide|collapse, collapse_placeholder,
//              focus: text|blur, character_limit: {length, error_text}}
//   header:   {title: {text}, progress: {value 0–100, show_percent}, milestones: [{text, current}],
//              buttons: [{text, url}]}
//   markdown: the features of the text: format, linkify, breaks, typographer
//
// Markdown is drawn by markdown-it (Debian's libjs-markdown-it, which the server serves as
// /chat/markdown-it.js) with HTML in the text escaped, never run; without it, text is shown
// as written.
'use strict';

window.parleyPresentation = (() => {
  // markdown-it's rules that format; without the `format` feature only links and breaks remain.
  const FORMAT_RULES = ['emphasis', 'strikethrough', 'backticks', 'link', 'image', 'entity', 'escape', 'heading', 'lheading',
                        'list', 'blockquote', 'code', 'fence', 'table', 'hr', 'reference'];
  const renderers = new Map();
  let defaults = null;

  function renderer(features) {
    const key = features.join(',');
    if (!renderers.has(key)) {
      const md = window.markdownit({
        html: false, linkify: features.includes('linkify'), breaks: features.includes('breaks'),
        typographer: features.includes('typographer'),
      });
      if (!features.includes('format')) md.disable(FORMAT_RULES, true);
      renderers.set(key, md);
    }
    return renderers.get(key);
  }

  /** True when `text` of a message with these features is drawn as markdown. */
  function drawsMarkdown(features) {
    return Array.isArray(features) && features.length > 0 && typeof window.markdownit === 'function';
  }

  /** Puts a message's text into `node`: as markdown when asked and markdown-it is here. */
  function renderText(node, text, features, asWritten) {
    if (!drawsMarkdown(features)) {
      asWritten(node, text);
      return;
    }
    const template = document.createElement('template');
    template.innerHTML = renderer(features).render(text);
    for (const link of template.content.querySelectorAll('a')) {
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
    }
    node.classList.add('markdown');
    node.append(template.content);
  }

  /** Applies a bot or agent message's composer and header to the page. */
  function apply(frame, page) {
    if (defaults === null) {
      defaults = { title: page.title.textContent, placeholder: page.input.placeholder, maxLength: page.input.maxLength };
    }
    applyComposer(frame.composer || {}, page);
    applyHeader(frame.header || {}, page);
  }

  function applyComposer(composer, page) {
    const visibility = ['hide', 'collapse'].includes(composer.visibility) ? composer.visibility : 'show';
    page.form.hidden = visibility === 'hide';
    page.form.dataset.visibility = visibility;
    const placeholder = visibility === 'collapse' ? composer.collapse_placeholder || composer.placeholder : composer.placeholder;
    page.input.placeholder = typeof placeholder === 'string' && placeholder !== '' ? placeholder : defaults.placeholder;
    const limit = composer.character_limit;
    const length = limit && Number.isInteger(limit.length) && limit.length > 0 ? limit.length : defaults.maxLength;
    page.input.maxLength = length;
    page.input.title = limit && typeof limit.error_text === 'string' ? limit.error_text : '';
    if (composer.focus === 'text' && !page.form.hidden) page.input.focus();
    if (composer.focus === 'blur') page.input.blur();
  }

  function applyHeader(header, page) {
    const title = header.title && typeof header.title.text === 'string' && header.title.text !== '' ? header.title.text : defaults.title;
    page.title.textContent = title;

    const progress = header.progress && typeof header.progress.value === 'number' ? header.progress : null;
    page.progress.hidden = progress === null;
    if (progress) {
      const value = Math.max(0, Math.min(100, progress.value));
      page.progressBar.value = value;
      page.progressBar.setAttribute('aria-valuetext', `${Math.round(value)}%`);
      page.progressText.textContent = progress.show_percent ? `${Math.round(value)}%` : '';
    }

    page.milestones.replaceChildren();
    const milestones = Array.isArray(header.milestones) ? header.milestones : [];
    for (const milestone of milestones) {
      const item = document.createElement('li');
      item.textContent = typeof milestone.text === 'string' ? milestone.text : '';
      if (milestone.current) {
        item.className = 'current';
        item.setAttribute('aria-current', 'step');
      }
      page.milestones.append(item);
    }
    page.milestones.hidden = milestones.length === 0;

    page.links.replaceChildren();
    const links = Array.isArray(header.buttons)
      ? header.buttons.filter((button) => typeof button.url === 'string' && /^https?:\/\//.test(button.url)) : [];
    for (const button of links) {
      const link = document.createElement('a');
      link.textContent = button.text;
      link.href = button.url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      page.links.append(link);
    }
    page.links.hidden = links.length === 0;
  }

  return { apply, renderText };
})();
