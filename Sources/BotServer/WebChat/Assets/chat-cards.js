// Parley web chat: the cards the bot shows — Meya's tiles (image, title, description,
// label–value rows, buttons), forms (text, email, pattern, choices, a checkbox, a list, info
// text) with what the bot made of their answers, images and files to download. chat.js makes
// them with its own helpers (parleyCards(ui)) and shows them in its log.
'use strict';

window.parleyCards = (ui) => {
  const { element, groupFor, bubble, appendLinkified, choices, scrollToEnd, send, botName } = ui;

  /** Tiles: cards of image, title, description, label–value rows and buttons, in a column or a row. */
  function showTiles(frame) {
    const body = groupFor('bot', botName);
    if (typeof frame.id === 'number') body.parentElement.dataset.lastEventId = String(frame.id);
    if (typeof frame.text === 'string' && frame.text !== '') bubble(body, botName, frame.text, frame.markdown);
    const list = element('div', `tiles tiles-${frame.layout === 'row' ? 'row' : 'column'}`);
    list.setAttribute('role', 'list');
    for (const tile of frame.tiles) {
      const card = element('div', 'tile');
      card.setAttribute('role', 'listitem');
      if (tile.image && typeof tile.image.url === 'string') card.append(picture(tile.image.url, tile.image.alt));
      if (typeof tile.title === 'string') card.append(element('div', 'tile-title', tile.title));
      if (typeof tile.description === 'string') {
        const description = element('div', 'tile-description');
        appendLinkified(description, tile.description);
        card.append(description);
      }
      for (const row of Array.isArray(tile.rows) ? tile.rows : []) {
        const line = element('div', 'tile-row');
        for (const cell of Array.isArray(row) ? row : []) {
          line.append(element('span', 'tile-cell', String(cell.cell)), element('span', 'tile-value', String(cell.value)));
        }
        card.append(line);
      }
      if (Array.isArray(tile.buttons) && tile.buttons.length) card.append(choices(tile.buttons));
      list.append(card);
    }
    body.append(list);
    if (Array.isArray(frame.buttons) && frame.buttons.length) body.append(choices(frame.buttons));
    scrollToEnd();
  }

  /** Forms shown, by form id: their fields' error slots, to show what the bot refused. */
  const forms = new Map();

  /** A form: its fields (text, email, pattern, choices, a checkbox, a list, or info text) and a submit button. */
  function showForm(frame) {
    const spec = frame.form;
    const body = groupFor('bot', botName);
    if (typeof frame.id === 'number') body.parentElement.dataset.lastEventId = String(frame.id);
    const node = element('form', 'card-form');
    node.noValidate = true; // the bot checks the answers and says why one is refused
    const readers = [];
    const errors = new Map();
    spec.fields.forEach((field, index) => {
      if (field.type === 'info') {
        node.append(element('div', 'form-info', field.info || ''));
        return;
      }
      const id = `form-${spec.form_id}-${index}`.replace(/[^A-Za-z0-9_-]/g, '-');
      const wrap = element('div', 'form-field');
      const label = field.label || field.placeholder || '';
      const options = Array.isArray(field.options) ? field.options.map((option) => option.text) : [];
      let read;
      if (field.type === 'checkbox') {
        const box = element('input');
        box.type = 'checkbox';
        box.id = id;
        box.checked = field.default === true;
        const text = element('label', 'form-check', label);
        text.htmlFor = id;
        wrap.append(box, text);
        read = () => box.checked;
      } else if (field.type === 'choice') {
        const group = element('fieldset', 'form-choices');
        if (label) group.append(element('legend', null, label));
        const defaults = [].concat(field.default || []);
        const inputs = options.map((text, choice) => {
          const option = element('input');
          option.type = field.multi ? 'checkbox' : 'radio';
          option.name = id;
          option.id = `${id}-${choice}`;
          option.value = text;
          option.checked = defaults.includes(text);
          const caption = element('label', 'form-check', text);
          caption.htmlFor = option.id;
          group.append(element('div', 'form-option'));
          group.lastChild.append(option, caption);
          return option;
        });
        wrap.append(group);
        read = () => {
          const chosen = inputs.filter((option) => option.checked).map((option) => option.value);
          return field.multi ? chosen : chosen[0] || '';
        };
      } else {
        const caption = element('label', 'form-label', label);
        caption.htmlFor = id;
        let input;
        if (field.type === 'select') {
          input = element('select');
          input.multiple = field.multi === true;
          if (!input.multiple) input.append(element('option', null, ''));
          for (const text of options) input.append(element('option', null, text));
          read = () => input.multiple ? Array.from(input.selectedOptions, (option) => option.value) : input.value;
        } else {
          input = element('input');
          input.type = field.type === 'email' ? 'email' : 'text';
          if (field.placeholder) input.placeholder = field.placeholder;
          if (typeof field.default === 'string') input.value = field.default;
          read = () => input.value;
        }
        input.id = id;
        input.className = 'form-input';
        if (field.required) input.setAttribute('aria-required', 'true');
        wrap.append(caption, input);
      }
      const error = element('div', 'form-error');
      error.id = `${id}-error`;
      error.setAttribute('role', 'alert');
      wrap.append(error);
      errors.set(field.name, error);
      readers.push([field.name, read]);
      node.append(wrap);
    });
    if (typeof spec.submit_text === 'string') {
      const submit = element('button', 'choice form-submit', spec.submit_text);
      submit.type = 'submit';
      node.append(submit);
    }
    node.addEventListener('submit', (event) => {
      event.preventDefault();
      if (node.classList.contains('done') || node.classList.contains('pending')) return;
      const fields = {};
      for (const [name, read] of readers) fields[name] = read();
      for (const slot of errors.values()) slot.textContent = '';
      node.classList.add('pending');
      send({ form: { id: spec.form_id, fields } }, null);
    });
    forms.set(spec.form_id, { node, errors });
    body.append(node);
    if (Array.isArray(spec.buttons) && spec.buttons.length) body.append(choices(spec.buttons));
    scrollToEnd();
  }

  /** What the bot made of a form's answers: why each refused field was refused, or done. */
  function showFormResult(formID, refused) {
    const form = forms.get(formID);
    if (!form) return;
    form.node.classList.remove('pending');
    const names = Object.keys(refused);
    for (const [name, slot] of form.errors) slot.textContent = typeof refused[name] === 'string' ? refused[name] : '';
    if (names.length) return;
    form.node.classList.add('done');
    for (const control of form.node.querySelectorAll('input, select, button')) control.disabled = true;
  }

  /** A file the bot shows: a link with its name (an http(s) URL only; anything else as text). */
  function download(url, name) {
    const label = typeof name === 'string' && name ? name : url;
    if (!/^https?:\/\//i.test(url)) return element('div', 'bubble', label);
    const link = element('a', 'bubble file', `📄 ${label}`);
    link.href = url;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.download = '';
    return link;
  }

  /** An image the bot shows: an http(s) or `data:image/` URL is drawn, anything else shown as text. */
  function picture(url, alt) {
    if (!/^(https?:\/\/|data:image\/)/i.test(url)) return element('div', 'bubble', url);
    const image = element('img', 'picture');
    image.src = url;
    image.alt = typeof alt === 'string' ? alt : '';
    image.loading = 'lazy';
    image.addEventListener('load', () => scrollToEnd());
    return image;
  }

  return { showTiles, showForm, showFormResult, picture, download };
};
