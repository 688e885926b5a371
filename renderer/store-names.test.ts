import { describe, expect, it } from 'vitest';
import { distinctNames } from './store-names';

describe('distinctNames', () => {
  it('keeps a file name that is already unique', () => {
    expect(distinctNames(['/var/mqm/qmgrs/QM1/ssl/key.kdb', '/home/app/app1.p12'])).toEqual(['key.kdb', 'app1.p12']);
  });
  it('adds as many folders as it takes to tell two key.kdb apart', () => {
    expect(distinctNames(['/var/mqm/qmgrs/QM1/ssl/key.kdb', '/var/mqm/qmgrs/QM2/ssl/key.kdb'])).toEqual(['key.kdb — QM1/ssl', 'key.kdb — QM2/ssl']);
    expect(distinctNames(['/a/qm1/key.kdb', '/b/qm2/key.kdb'])).toEqual(['key.kdb — qm1', 'key.kdb — qm2']);
  });
  it('reads Windows paths', () => {
    expect(distinctNames(['C:\\mq\\QM1\\ssl\\key.kdb', 'C:\\mq\\QM2\\ssl\\key.kdb'])).toEqual(['key.kdb — QM1/ssl', 'key.kdb — QM2/ssl']);
  });
});
