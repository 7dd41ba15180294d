import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startMediaHost } from '@custom-channels/test-kit/media-host';
import { isPublicAddress, type Resolver } from '../../src/media/address-guard.js';
import { checkInboundAttachments } from '../../src/media/inbound-attachments.js';
import { refusal } from './media-refusal.js';
import { downloadAttachment, type DownloadRequest } from '../../src/media/safe-download.js';

const host = await startMediaHost();
after(() => host.close());
const dir = mkdtempSync(join(tmpdir(), 'forgery-'));
let files = 0;

const media = { accept: ['image/*', 'application/pdf'], maxBytes: 256 * 1024 };
/** The tests' media host is on loopback: allowed by name, as a channel's allow-list would. */
const trusted = { media, mediaFetch: { allowHttp: true, allowHosts: new Set(['127.0.0.1']) } };
/** A channel that trusts nothing: the defaults, plus plain http so the local host can be tried. */
const untrusted = { media, mediaFetch: { allowHttp: true, allowHosts: new Set<string>() } };

/** A resolver for names the tests make up, standing in for DNS. */
const fakeDns =
  (answers: Record<string, string>): Resolver =>
  (hostname, _options, callback) => {
    const address = answers[hostname];
    if (!address) return callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []);
    callback(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
  };

function download(url: string, channel: DownloadRequest['channel'] = trusted, resolve?: Resolver, declaredType?: string) {
  return downloadAttachment({ url, channel, path: join(dir, `file-${files++}`), declaredType }, { resolve, timeouts: { connectMs: 1000, totalMs: 1500 } });
}

describe('attachment downloads: forgery defences', () => {
  test('an allowed host is downloaded whole, with the served type', async () => {
    const { url, bytes } = host.add('ok.png', { size: 100_000 });
    const file = await download(url);
    assert.equal(file.size, bytes.length);
    assert.equal(file.contentType, 'image/png');
    assert.deepEqual(readFileSync(file.path), bytes);
  });

  test('loopback: a literal loopback address is refused before connecting, IPv4, IPv6 and IPv4-mapped', async () => {
    const { url } = host.add('secret.png');
    const before = host.served.length;
    for (const target of [url, url.replace('127.0.0.1', '[::1]'), url.replace('127.0.0.1', '[::ffff:127.0.0.1]'), url.replace('127.0.0.1', 'localhost')]) {
      const error = await refusal(download(target, untrusted));
      assert.equal(error.retryable, false, target);
      assert.match(error.reason, /not a public address|localhost/, target);
    }
    assert.equal(host.served.length, before, 'nothing reached the host');
  });

  test('private address: a name that resolves to a private, link-local or metadata address is refused after resolution', async () => {
    for (const address of ['10.0.0.5', '192.168.1.20', '172.16.0.1', '169.254.169.254', '100.64.0.1', 'fd00::1', '127.0.0.1']) {
      const error = await refusal(download('http://media.example.test/x.png', untrusted, fakeDns({ 'media.example.test': address })));
      assert.equal(error.retryable, false);
      assert.match(error.reason, new RegExp(`resolves to ${address.replace(/\./g, '\\.')}, which is not a public address`));
    }
    assert.equal(isPublicAddress('93.184.216.34'), true);
  });

  test('IPv6 carrying a private IPv4 address: IPv4-compatible and NAT64 forms are refused, literal or resolved; a public one behind NAT64 is allowed', async () => {
    const { url } = host.add('embedded.png');
    const before = host.served.length;
    for (const literal of ['[::7f00:1]', '[::127.0.0.1]', '[::a00:5]', '[::808:808]', '[64:ff9b::7f00:1]', '[64:ff9b:1::a00:1]', '[2002:7f00:1::1]']) {
      const error = await refusal(download(url.replace('127.0.0.1', literal), untrusted));
      assert.equal(error.retryable, false, literal);
      assert.match(error.reason, /not a public address/, literal);
    }
    for (const address of ['::7f00:1', '::127.0.0.1', '::ffff:0:7f00:1', '64:ff9b::a9fe:a9fe', '2001:0:4136:e378:8000:63bf:3fff:fdd2']) {
      const error = await refusal(download('http://media.example.test/x.png', untrusted, fakeDns({ 'media.example.test': address })));
      assert.match(error.reason, /which is not a public address/, address);
    }
    assert.equal(host.served.length, before, 'nothing reached the host');
    assert.equal(isPublicAddress('64:ff9b::5db8:d822'), true, 'NAT64 of 93.184.216.34');
    assert.equal(isPublicAddress('::ffff:93.184.216.34'), true);
    assert.equal(isPublicAddress('2606:4700::1111'), true);
  });

  test('redirect to one: every redirect is checked again, by literal address and after resolution', async () => {
    const toMetadata = await refusal(download(host.redirectTo('http://169.254.169.254/latest/meta-data/')));
    assert.match(toMetadata.reason, /redirect 1 of the attachment URL has a host that is 169\.254\.169\.254/);
    const toPrivateName = await refusal(
      download(host.redirectTo('http://internal.example.test/a.png'), trusted, fakeDns({ 'internal.example.test': '10.1.2.3' })),
    );
    assert.match(toPrivateName.reason, /resolves to 10\.1\.2\.3/);
    const toHttpWhenNotAllowed = await refusal(
      download(host.redirectTo('http://203.0.113.9/a.png'), { media, mediaFetch: { allowHttp: false, allowHosts: new Set(['127.0.0.1']) } }),
    );
    assert.match(toHttpWhenNotAllowed.reason, /must be an https URL/);
    const { url } = host.add('after-redirect.png');
    assert.equal((await download(host.redirectTo(url))).contentType, 'image/png', 'a redirect to an allowed host is followed');
  });

  test('oversize while streaming: reading stops at maxBytes when no length is announced, and an announced length over it is refused at once', async () => {
    const big = host.add('big.png', { size: 4 * 1024 * 1024, chunked: true });
    const path = join(dir, 'big');
    const streamed = await refusal(downloadAttachment({ url: big.url, channel: trusted, path }));
    assert.match(streamed.reason, /over this channel's 262144 bytes \(stopped reading there\)/);
    assert.equal(existsSync(path), false, 'the partial file is removed');
    const announced = host.add('announced.png', { size: media.maxBytes + 1 });
    assert.match((await refusal(download(announced.url))).reason, /is 262145 bytes, over this channel's 262144/);
  });

  test('wrong type: the served type must be accepted; the declared type counts only when the host serves none', async () => {
    const html = host.add('page.html', { contentType: 'text/html; charset=utf-8' });
    assert.match((await refusal(download(html.url, trusted, undefined, 'image/png'))).reason, /is text\/html, not a type this channel takes/);
    const untyped = host.add('blob', { contentType: 'application/octet-stream' });
    assert.equal((await download(untyped.url, trusted, undefined, 'application/pdf')).contentType, 'application/pdf');
    assert.match((await refusal(download(untyped.url))).reason, /application\/octet-stream, not a type/);
  });

  test('failures worth a retry are retryable: 503, a host down, a timeout; a 404 is not', async () => {
    const { url } = host.add('later.png');
    host.failFor(300);
    assert.equal((await refusal(download(url))).retryable, true);
    await new Promise((resolve) => setTimeout(resolve, 350));
    assert.equal((await download(url)).contentType, 'image/png');
    assert.equal((await refusal(download(`${host.origin}/files/missing.png`))).retryable, false);
    assert.equal((await refusal(download('http://127.0.0.1:1/x.png'))).retryable, true, 'connection refused');
  });
});

describe('attachment checks before accepting', () => {
  const channel = { media, mediaFetch: { allowHttp: false, allowHosts: new Set<string>() } };
  test('names the attachment and what is wrong', () => {
    const problems = [
      [{ url: 'http://cdn.example.com/a.png' }, '/media/0/url', /must be an https URL/],
      [{ url: 'https://127.0.0.1/a.png' }, '/media/0/url', /not a public address/],
      [{ url: 'https://[::1]/a.png' }, '/media/0/url', /not a public address/],
      [{ url: 'https://10.0.0.1/a.png' }, '/media/0/url', /not a public address/],
      [{ url: 'https://user:pw@cdn.example.com/a.png' }, '/media/0/url', /credentials/],
      [{ url: 'not a url' }, '/media/0/url', /absolute URL/],
      [
        { url: 'https://cdn.example.com/a.exe', contentType: 'application/x-msdownload' },
        '/media/0/contentType',
        /not a type this channel takes \(image\/\*, application\/pdf\)/,
      ],
    ] as const;
    for (const [attachment, field, message] of problems) {
      const check = checkInboundAttachments([{ url: 'https://cdn.example.com/ok.png' }, attachment], channel);
      assert.equal(check.ok, false, attachment.url);
      if (!check.ok) {
        assert.equal(check.field, field.replace('/0/', '/1/'));
        assert.match(check.message, message);
      }
    }
    assert.deepEqual(checkInboundAttachments([{ url: 'https://cdn.example.com/a.png', contentType: 'image/png' }], channel), { ok: true });
    assert.deepEqual(checkInboundAttachments([{ url: 'https://a.example/x' }], { mediaFetch: channel.mediaFetch }), {
      ok: false,
      field: '/media',
      message: 'is not allowed: this channel takes text only',
    });
  });
});
