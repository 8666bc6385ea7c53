import { describe, expect, it } from 'vitest';
import { productIdentity, readCpe, readRepositoryUrl } from './index.js';

describe('readCpe', () => {
  it('reads the version of 2.3 strings and 2.2 URIs, ANY and NA as none', () => {
    expect(readCpe('cpe:2.3:a:openbsd:openssh:9.6\\:p1:*:*:*:*:*:*:*')).toMatchObject({
      identity: 'cpe:a:openbsd:openssh',
      version: '9.6:p1',
    });
    expect(readCpe('cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*')?.version).toBeNull();
    expect(readCpe('cpe:2.3:a:openbsd:openssh:-:*:*:*:*:*:*:*')?.version).toBeNull();
    expect(readCpe('cpe:/a:openbsd:openssh:9.6%7ep1')?.version).toBe('9.6~p1');
    expect(readCpe('cpe:/a:openbsd:openssh')?.version).toBeNull();
  });
});

describe('readRepositoryUrl', () => {
  it('drops port, credentials, query and fragment', () => {
    expect(readRepositoryUrl('https://user:pw@GitLab.example:8443/Group/Sub/Project.git?x=1#readme')).toEqual({
      host: 'gitlab.example',
      path: 'group/sub/project',
      identity: 'repo:gitlab.example/group/sub/project',
    });
  });
});

describe('productIdentity', () => {
  it('folds case and white space', () => {
    expect(productIdentity(' Siemens ', 'SIMATIC   S7-1500')).toBe('product:siemens/simatic s7-1500');
    expect(productIdentity('unknown', 'x')).toBeNull();
  });
});
