import { describe, expect, it } from 'vitest';
import { alertJobId } from '../../queues/job-ids.js';

const alert = (id: string, status: 'firing' | 'resolved' = 'firing', tenant = 'acme') => ({ tenant, id, status });

describe('alertJobId', () => {
  it('is stable for the same alert event', () => {
    expect(alertJobId([alert('a-1')])).toBe(alertJobId([alert('a-1')]));
  });

  it('differs by tenant, id and status', () => {
    const ids = new Set([alertJobId([alert('a-1')]), alertJobId([alert('a-2')]), alertJobId([alert('a-1', 'resolved')]), alertJobId([alert('a-1', 'firing', 'globex')])]);
    expect(ids.size).toBe(4);
  });

  it('marks chunks apart from single alerts and depends on the chunk order', () => {
    const single = alertJobId([alert('a-1')]);
    const chunk = alertJobId([alert('a-1'), alert('a-2')]);
    expect(single).toMatch(/^a-[0-9a-f]{40}$/);
    expect(chunk).toMatch(/^ab-[0-9a-f]{40}$/);
    expect(alertJobId([alert('a-2'), alert('a-1')])).not.toBe(chunk);
  });

  it('keeps ids free of ":" and bounded whatever the client id holds', () => {
    const id = alertJobId([alert(`host:9090/${'x'.repeat(500)}`)]);
    expect(id).not.toContain(':');
    expect(id.length).toBe(42);
  });

  it('does not confuse fields whose concatenation is equal', () => {
    expect(alertJobId([{ tenant: 'ab', id: 'c', status: 'firing' }])).not.toBe(alertJobId([{ tenant: 'a', id: 'bc', status: 'firing' }]));
  });
});
