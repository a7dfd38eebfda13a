// Service worker of the congress site: the programme offline, nothing private but the
// attendee's own agenda and QR code. Built by congress/offline.py; read its docstring.
"use strict";

const VERSION = {{ version|tojson }};
const PAGES = "congress-pages-" + VERSION;
const ASSETS = "congress-assets-" + VERSION;
const PUBLIC_PREFIXES = {{ public_prefixes|list|tojson }};
const PRECACHED = {{ precached|tojson }};
const OWN_AGENDA = /^\/r\/[A-Za-z0-9_-]+\/(agenda|qr\.svg)$/;
const SAVED_AT = "X-Congress-Saved-At";

function keeps(url) {
  if (url.origin !== self.location.origin) {
    return null;
  }
  const path = url.pathname;
  if (path.startsWith("/static/")) {
    return ASSETS;
  }
  if (path === "/" || path === "/offline" || OWN_AGENDA.test(path)) {
    return PAGES;
  }
  if (PUBLIC_PREFIXES.some(function (prefix) { return path.startsWith(prefix); })) {
    return PAGES;
  }
  return null;
}

// A copy of the answer stamped with the time it was saved, for "updated at HH:MM".
async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set(SAVED_AT, new Date().toISOString());
  const body = await response.blob();
  return new Response(body, { status: response.status, statusText: response.statusText, headers: headers });
}

async function save(cacheName, request, response) {
  if (!response || response.status !== 200 || response.type !== "basic") {
    return;
  }
  const cache = await caches.open(cacheName);
  await cache.put(request, await stamped(response));
}

self.addEventListener("install", function (event) {
  event.waitUntil((async function () {
    const pages = await caches.open(PAGES);
    const assets = await caches.open(ASSETS);
    await Promise.all(PRECACHED.map(async function (path) {
      try {
        const response = await fetch(path, { credentials: "omit", cache: "no-cache" });
        await save(path.startsWith("/static/") ? ASSETS : PAGES, new Request(path), response);
      } catch (error) {
        // A page that cannot be fetched now is saved on its first visit instead.
      }
    }));
    void pages;
    void assets;
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", function (event) {
  event.waitUntil((async function () {
    const names = await caches.keys();
    await Promise.all(names.filter(function (name) {
      return name.startsWith("congress-") && name !== PAGES && name !== ASSETS;
    }).map(function (name) { return caches.delete(name); }));
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  const cacheName = keeps(url);
  if (cacheName === null) {
    // The network alone (dashboard, login, forms, other private pages): never saved.
    // A page of this site that cannot be reached says so with the saved offline page.
    if (request.mode === "navigate" && url.origin === self.location.origin) {
      event.respondWith(fetch(request).catch(async function () {
        const fallback = await caches.match("/offline");
        return fallback || Response.error();
      }));
    }
    return;
  }
  event.respondWith((async function () {
    try {
      const response = await fetch(request);
      event.waitUntil(save(cacheName, request, response.clone()));
      return response;
    } catch (error) {
      const saved = await caches.match(request, { ignoreVary: true });
      if (saved) {
        return saved;
      }
      if (request.mode === "navigate") {
        const fallback = await caches.match("/offline");
        if (fallback) {
          return fallback;
        }
      }
      throw error;
    }
  })());
});
