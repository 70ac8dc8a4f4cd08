/*
 * The public pages' only script. Every page works without it (plain form posts, server-rendered answers); with it,
 * the form sends JSON and shows the answer in place, errors appear beside their fields, the district list follows
 * the governorate, the codes get copy buttons and the root page moves a first visitor to their own language.
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
    byId('summary').hidden = true;
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

  const showSummary = (text) => {
    const summary = byId('summary');
    summary.textContent = text;
    summary.hidden = false;
    summary.focus();
  };

  const showDone = (form, answer) => {
    const template = byId('done-template');
    const box = d.importNode(template.content, true);
    const main = byId('main');
    while (main.firstChild) main.removeChild(main.firstChild);
    main.appendChild(box);
    byId('done-ref').textContent = answer.reference;
    byId('done-secret').textContent = answer.secret;
    byId('done-status').href = `/${lang}/status.html?reference=${encodeURIComponent(answer.reference)}`;
    enableCopy(main);
    byId('done-title').focus();
    form.reset();
  };

  const setupForm = (form) => {
    form.noValidate = true;
    form.elements.token.value = randomToken();
    linkPlaces(form);
    const button = byId('send');
    let busy = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (busy) return;
      clearErrors(form);
      const description = form.elements.description;
      if (!description.value.trim()) {
        markError(form, 'description');
        showSummary(strings.fix);
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
          const error = answer.json.error || {};
          if (error.code === 'REQUEST.INVALID') {
            let first;
            const details = error.details || [];
            for (let i = 0; i < details.length; i++) {
              const field = markError(form, String(details[i].path).replace(/^body\.?/, ''));
              first = first || field;
            }
            showSummary(strings.fix);
            if (first) first.focus();
            return undefined;
          }
          if (answer.status === 413) return showSummary(strings.tooLarge);
          if (answer.status === 429) return showSummary(strings.tooMany);
          return showSummary(answer.status === 400 ? strings.rejected : strings.network);
        })
        .catch(() => {
          // The token stays the same, so sending again cannot make a second case if the first one arrived.
          finish();
          showSummary(strings.network);
        });
    });
  };

  const formatDate = (iso) => {
    try {
      return new Intl.DateTimeFormat(lang === 'kmr' ? 'ku' : `${lang}-IQ`, {
        dateStyle: 'long',
        timeStyle: 'short',
        timeZone: 'Asia/Baghdad',
      }).format(new Date(iso));
    } catch (_) {
      return String(iso).slice(0, 16).replace('T', ' ');
    }
  };

  const setupLookup = (form) => {
    const query = /[?&]reference=([^&]*)/.exec(location.search);
    if (query && !form.elements.reference.value) form.elements.reference.value = decodeURIComponent(query[1]);
    const result = byId('lookup-result');
    const notFound = byId('not-found');
    const notFoundText = notFound.textContent;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      notFound.hidden = true;
      notFound.textContent = notFoundText;
      while (result.firstChild) result.removeChild(result.firstChild);
      const reference = form.elements.reference.value.trim() || '-';
      fetch(`/api/public/complaints/${encodeURIComponent(reference)}?lang=${lang}`, {
        headers: { accept: 'application/json', 'x-lookup-secret': form.elements.secret.value },
      })
        .then((res) => res.json().then((json) => ({ status: res.status, json })))
        .then((answer) => {
          if (answer.status !== 200) {
            if (answer.status !== 404) notFound.textContent = strings.network;
            notFound.hidden = false;
            notFound.focus();
            return;
          }
          const s = answer.json;
          const box = d.createElement('section');
          box.className = 'box';
          box.id = 'status-result';
          const title = d.createElement('h2');
          title.tabIndex = -1;
          title.textContent = `${strings.statusLabel}: ${s.statusName}`;
          box.appendChild(title);
          const lines = [
            s.explanation,
            `${strings.referenceLabel}: ${s.reference}`,
            `${strings.receivedLabel}: ${formatDate(s.receivedAt)}`,
            `${strings.updatedLabel}: ${formatDate(s.updatedAt)}`,
          ];
          for (let i = 0; i < lines.length; i++) {
            const p = d.createElement('p');
            p.textContent = lines[i];
            box.appendChild(p);
          }
          result.appendChild(box);
          title.focus();
        })
        .catch(() => {
          notFound.textContent = strings.network;
          notFound.hidden = false;
        });
    });
  };

  const form = byId('complaint');
  if (form && window.fetch && window.JSON) setupForm(form);
  const lookupForm = byId('lookup');
  if (lookupForm && window.fetch) setupLookup(lookupForm);
})();
