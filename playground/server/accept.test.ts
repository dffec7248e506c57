import { describe, expect, it } from 'vitest';
import { computeAccept, WEBSOCKET_GUID } from './accept';

describe('computeAccept', () => {
  it('answers the RFC 6455 §1.3 sample key with the sample accept', () => {
    expect(computeAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('uses the RFC GUID, so different keys give different answers', () => {
    expect(WEBSOCKET_GUID).toBe('258EAFA5-E914-47DA-95CA-C5AB0DC85B11');
    expect(computeAccept('AQIDBAUGBwgJCgsMDQ4PEA==')).not.toBe(
      computeAccept('dGhlIHNhbXBsZSBub25jZQ=='),
    );
  });
});
