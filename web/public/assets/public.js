/*
 * The public pages' only script. Every page works without it (plain form posts, server-rendered answers); with it,
 * the form sends JSON and shows the answer in place, errors appear beside their fields and in the summary, the
 * district list follows the governorate, the codes get copy buttons and the root page moves a first visitor to
 * their own language. Dates, counts and plural forms come written out from the server, which knows every
 * language; this script only places text.
 * Written for old Android browsers: no modules, no optional chaining, nothing to download but this file.
 */
(() => {
  const d = document;
  const byId = (id) => d.getElementById(id);
  const LANGS = ['ar', 'ckb', 'kmr', 'en'];
  const lang = d.documentElement.getAttribute('data-lang') || d.documentElement.lang;
  let strings = {};
  try {
    const node = byId('strings');
    strings = node ? JSON.parse(node.textContent) : {};
  } catch (_) {
    strings = {};
  }

  /** One browser language tag to one of the four page languages (Kurdish in Arabic script is Sorani). */
  const pick = (tag) => {
    const t = String(tag || '').toLowerCase();
    const primary = t.split('-')[0];
    if (primary === 'ku') return /-arab\b/.test(t) ? 'ckb' : 'kmr';
    return LANGS.indexOf(primary) >= 0 ? primary : undefined;
  };

  // The root page is the English form. A visitor arriving from elsewhere goes to the first language they read.
  if (d.querySelector('meta[name="cfm-root"]')) {
    const from = d.referrer ? d.referrer.split('/')[2] : '';
    if (from !== location.host) {
      const wanted = navigator.languages || [navigator.language];
      for (let i = 0; i < wanted.length; i++) {
        const l = pick(wanted[i]);
        if (l) {
          if (l !== 'en') location.replace(`/${l}/`);
          break;
        }
      }
    }
  }

  /** The status page opened for one reference, filled in by the server (the secret never goes in a link). */
  const statusLink = (reference) =>
    `/api/public/complaints/status?lang=${lang}&reference=${encodeURIComponent(reference)}`;

  const enableCopy = (root) => {
    const buttons = root.querySelectorAll('button[data-copy]');
    for (let i = 0; i < buttons.length; i++) {
      const button = buttons[i];
      button.hidden = false;
      button.addEventListener('click', () => {
        const target = byId(button.getAttribute('data-copy'));
        const text = target ? target.textContent : '';
        const done = () => {
          button.textContent = button.getAttribute('data-done');
        };
        // biome-ignore lint/complexity/useOptionalChain: old Android browsers have no optional chaining
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, () => undefined);
        } else if (target && window.getSelection) {
          const range = d.createRange();
          range.selectNodeContents(target);
          window.getSelection().removeAllRanges();
          window.getSelection().addRange(range);
        }
      });
    }
  };
  enableCopy(d);

  const randomToken = () => {
    const bytes = new Uint8Array(16);
    // biome-ignore lint/complexity/useOptionalChain: old Android browsers have no optional chaining
    if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(bytes);
    else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    let out = '';
    for (let i = 0; i < bytes.length; i++) out += `0${bytes[i].toString(16)}`.slice(-2);
    return out;
  };

  /** The district list shows only the chosen governorate's districts (all of them while none is chosen). */
  const linkPlaces = (form) => {
    const gov = form.elements.governorate;
    const dist = form.elements.district;
    if (!gov || !dist) return;
    const groups = [];
    const found = dist.querySelectorAll('optgroup');
    for (let i = 0; i < found.length; i++) groups.push(found[i].cloneNode(true));
    const blank = dist.options[0].cloneNode(true);
    const refill = () => {
      const keep = dist.value;
      while (dist.firstChild) dist.removeChild(dist.firstChild);
      dist.appendChild(blank.cloneNode(true));
      for (let i = 0; i < groups.length; i++) {
        if (!gov.value || groups[i].getAttribute('data-g') === gov.value)
          dist.appendChild(groups[i].cloneNode(true));
      }
      dist.value = keep;
      if (dist.value !== keep) dist.value = '';
    };
    gov.addEventListener('change', refill);
    refill();
  };

  const FIELD_MESSAGE = {
    description: 'description',
    phone: 'phone',
    governorate: 'place',
    district: 'place',
    reference: 'reference',
    secret: 'secret',
  };

  /** The page's title says "Error:" while the page shows one, as the server-rendered pages do. */
  const errorPrefix = `${strings.errorTitle}: `;
  const baseTitle = d.title.indexOf(errorPrefix) === 0 ? d.title.slice(errorPrefix.length) : d.title;
  const markTitle = (error) => {
    d.title = error ? errorPrefix + baseTitle : baseTitle;
  };

  const clearErrors = (form) => {
    const marked = form.querySelectorAll('[aria-invalid="true"]');
    for (let i = 0; i < marked.length; i++) {
      const field = marked[i];
      field.removeAttribute('aria-invalid');
      const ids = (field.getAttribute('aria-describedby') || '')
        .split(' ')
        .filter((id) => id && id !== `${field.id}-error`);
      if (ids.length) field.setAttribute('aria-describedby', ids.join(' '));
      else field.removeAttribute('aria-describedby');
    }
    const messages = form.querySelectorAll('.error');
    for (let i = 0; i < messages.length; i++) messages[i].hidden = true;
    markTitle(false);
  };

  const markError = (form, name) => {
    const field = form.elements[name];
    const message = byId(`${name}-error`);
    if (!field || !message || !field.id) return undefined;
    message.textContent = strings[FIELD_MESSAGE[name] || 'field'];
    message.hidden = false;
    field.setAttribute('aria-invalid', 'true');
    const ids = (field.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    ids.push(message.id);
    field.setAttribute('aria-describedby', ids.join(' '));
    return field;
  };

  /** The alert at the top: one message, and under it a link to each marked field. */
  const showAlert = (alert, text, fields) => {
    while (alert.firstChild) alert.removeChild(alert.firstChild);
    const p = d.createElement('p');
    p.textContent = text;
    alert.appendChild(p);
    // biome-ignore lint/complexity/useOptionalChain: old Android browsers have no optional chaining
    if (fields && fields.length) {
      const list = d.createElement('ul');
      for (let i = 0; i < fields.length; i++) {
        const item = d.createElement('li');
        const link = d.createElement('a');
        link.href = `#${fields[i].id}`;
        link.textContent = strings[FIELD_MESSAGE[fields[i].name] || 'field'];
        item.appendChild(link);
        list.appendChild(item);
      }
      alert.appendChild(list);
    }
    alert.hidden = false;
    markTitle(true);
    alert.focus();
  };

  const hideAlert = (alert) => {
    alert.hidden = true;
  };

  /** Marks the fields a 400 named and lists them; true when it was that kind of answer. */
  const showFieldErrors = (form, alert, error) => {
    if (error.code !== 'REQUEST.INVALID') return false;
    const fields = [];
    const details = error.details || [];
    for (let i = 0; i < details.length; i++) {
      const field = markError(form, String(details[i].path).replace(/^body\.?/, ''));
      if (field && fields.indexOf(field) < 0) fields.push(field);
    }
    showAlert(alert, strings.fix, fields);
    return true;
  };

  const showDone = (form, answer) => {
    const template = byId('done-template');
    const box = d.importNode(template.content, true);
    const main = byId('main');
    while (main.firstChild) main.removeChild(main.firstChild);
    main.appendChild(box);
    byId('done-ref').textContent = answer.reference;
    byId('done-secret').textContent = answer.secret;
    byId('done-status').href = statusLink(answer.reference);
    const reply = byId('done-reply');
    // biome-ignore lint/complexity/useOptionalChain: old Android browsers have no optional chaining
    if (answer.reply && answer.reply.text) {
      reply.textContent = answer.reply.text;
      reply.hidden = false;
    }
    enableCopy(main);
    markTitle(false);
    byId('done-title').focus();
    form.reset();
  };

  const setupForm = (form) => {
    form.noValidate = true;
    form.elements.token.value = randomToken();
    linkPlaces(form);
    const button = byId('send');
    const alert = byId('summary');
    let busy = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (busy) return;
      clearErrors(form);
      hideAlert(alert);
      const description = form.elements.description;
      if (!description.value.trim()) {
        const field = markError(form, 'description');
        showAlert(alert, strings.fix, field ? [field] : []);
        return;
      }
      const body = {};
      const elements = form.elements;
      for (let i = 0; i < elements.length; i++) {
        const el = elements[i];
        if (!el.name) continue;
        if (el.type === 'checkbox') body[el.name] = el.checked;
        else if (el.value !== '') body[el.name] = el.value;
      }
      busy = true;
      button.disabled = true;
      button.textContent = strings.sending;
      const finish = () => {
        busy = false;
        button.disabled = false;
        button.textContent = strings.submit;
      };
      fetch(form.action, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      })
        .then((res) =>
          res.json().then(
            (json) => ({ status: res.status, json }),
            () => ({ status: res.status, json: {} }),
          ),
        )
        .then((answer) => {
          finish();
          if (answer.status === 200 || answer.status === 201) return showDone(form, answer.json);
          if (showFieldErrors(form, alert, answer.json.error || {})) return undefined;
          if (answer.status === 413) return showAlert(alert, strings.tooLarge);
          if (answer.status === 429) return showAlert(alert, strings.tooMany);
          return showAlert(alert, answer.status === 400 ? strings.rejected : strings.network);
        })
        .catch(() => {
          // The token stays the same, so sending again cannot make a second case if the first one arrived.
          finish();
          showAlert(alert, strings.network);
        });
    });
  };

  const paragraph = (text, id) => {
    const p = d.createElement('p');
    if (id) p.id = id;
    p.textContent = text;
    return p;
  };

  const setupLookup = (form) => {
    const query = /[?&]reference=([^&]*)/.exec(location.search);
    if (query && !form.elements.reference.value)
      form.elements.reference.value = decodeURIComponent(query[1].replace(/\+/g, ' '));
    const result = byId('lookup-result');
    const alert = byId('not-found');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      clearErrors(form);
      hideAlert(alert);
      while (result.firstChild) result.removeChild(result.firstChild);
      const reference = form.elements.reference.value.trim() || '-';
      fetch(`/api/public/complaints/${encodeURIComponent(reference)}?lang=${lang}`, {
        headers: { accept: 'application/json', 'x-lookup-secret': form.elements.secret.value },
      })
        .then((res) => res.json().then((json) => ({ status: res.status, json })))
        .then((answer) => {
          if (answer.status !== 200) {
            if (showFieldErrors(form, alert, answer.json.error || {})) return;
            if (answer.status === 429) return showAlert(alert, strings.tooMany);
            return showAlert(alert, answer.status === 404 ? strings.notFound : strings.network);
          }
          const s = answer.json;
          const box = d.createElement('section');
          box.className = 'box';
          box.id = 'status-result';
          const title = d.createElement('h2');
          title.id = 'status-title';
          title.tabIndex = -1;
          title.textContent = `${strings.statusLabel}: ${s.statusName}`;
          box.appendChild(title);
          box.appendChild(paragraph(s.explanation));
          // biome-ignore lint/complexity/useOptionalChain: old Android browsers have no optional chaining
          if (s.reply && s.reply.text) box.appendChild(paragraph(s.reply.text, 'status-reply'));
          const ref = paragraph(`${strings.referenceLabel}: `);
          const code = d.createElement('bdi');
          code.setAttribute('dir', 'ltr');
          code.textContent = s.reference;
          ref.appendChild(code);
          box.appendChild(ref);
          box.appendChild(paragraph(`${strings.receivedLabel}: ${s.received}`));
          box.appendChild(paragraph(`${strings.updatedLabel}: ${s.updated}`));
          result.appendChild(box);
          title.focus();
        })
        .catch(() => showAlert(alert, strings.network));
    });
  };

  const form = byId('complaint');
  if (form && window.fetch && window.JSON) setupForm(form);
  const lookupForm = byId('lookup');
  if (lookupForm && window.fetch) setupLookup(lookupForm);
})();
