import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngagementEvent } from '../../../features/events.ts';
import { compileRulesText } from '../../../models/lead-model.ts';

const DAY = 86_400_000;
const ASOF = Date.UTC(2026, 0, 31);
const rulesFile = path.resolve(import.meta.dirname, '../../../pipelines/configs/rules/synthetic-funnel.rules.yaml');

describe('RuleEngine.scoreInto', () => {
  it('gives the totals and tiers of score, without the breakdown', () => {
    const { engine } = compileRulesText('synthetic-funnel', readFileSync(rulesFile, 'utf8'));
    const industries = ['Software', 'Education', 'Retail', null];
    const titles = ['CEO', 'VP Sales', 'Engineer', 'Head of Marketing', ''];
    const types = ['pricing_view', 'webinar', 'email_open', 'unsubscribe', 'form_submit', 'download'];
    let seed = 9;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const out = { fit: 0, engagement: 0, total: 0, tier: 0 };
    for (let i = 0; i < 300; i++) {
      const lead = {
        industry: industries[Math.floor(next() * industries.length)]!,
        job_title: titles[Math.floor(next() * titles.length)]!,
        employees: Math.floor(next() * 3000),
        email: next() < 0.3 ? 'ann@gmail.com' : 'ann@corp.example',
        source: next() < 0.5 ? 'referral' : 'paid_search',
      };
      const events: EngagementEvent[] = Array.from({ length: Math.floor(next() * 8) }, () => ({
        leadId: 'l',
        type: types[Math.floor(next() * types.length)]!,
        at: ASOF - next() * 90 * DAY,
      }));
      const expected = engine.score(lead, events, ASOF);
      engine.scoreInto(lead, events, ASOF, out);
      expect([out.fit, out.engagement, out.total, engine.tierNames[out.tier]]).toEqual([
        expected.fit,
        expected.engagement,
        expected.total,
        expected.tier,
      ]);
    }
  });
});
