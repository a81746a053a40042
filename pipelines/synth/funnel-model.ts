/**
 * The ground truth of the synthetic B2B funnel. Every lead gets
 *
 *   fit    = industry + country + jobTitle + source effects (tables below)
 *            + 0.35 * (log10(employees) - 2)            (missing employees: no term)
 *            - 0.5 if the email is a free-mail address
 *   intent ~ Normal(0, 1)                               (unobserved buying intent)
 *
 * Engagement: n events ~ Poisson(eventsPerLead * exp(0.6 * intent + 0.3 * fit) / 1.3),
 * each `Exponential(mean 7 * exp(-0.3 * intent))` days after the previous touch (the first
 * after creation), so keen leads engage sooner and more. Each event's type is drawn with
 * weights depending on s = exp(0.5 * intent): pricing views, email clicks and form submits
 * grow with s squared, docs, downloads, webinars and email opens with s, unsubscribes with
 * 1 / s; page views and sent emails are flat. Views carry `seconds` on page,
 * Exponential(mean 45 * s).
 *
 * Outcome: the lead is won with probability sigmoid(-3.2 + fit + 1.1 * intent), the deal
 * closing `14 + Gamma(2, 25)` days after creation; otherwise 15% of leads have a lost
 * deal closing `20 + Exponential(40)` days after creation. Deals closing after the data
 * end are still open and not written. Spam-like sign-ups (3%: free mail, no title, a few
 * events within minutes) never convert.
 *
 * So the signal a model can recover: firmographics through `fit`, and intent through early
 * engagement (pricing views, clicks, form submits, recency); truth.parquet holds each
 * lead's intent and true win probability for checks, never as a feature.
 */

export interface Level {
  name: string;
  /** Relative frequency among leads. */
  weight: number;
  /** Additive effect on the win log-odds. */
  effect: number;
}

export const industries: Level[] = [
  { name: 'Software', weight: 22, effect: 0.5 },
  { name: 'Financial Services', weight: 14, effect: 0.3 },
  { name: 'Healthcare', weight: 10, effect: 0.1 },
  { name: 'Manufacturing', weight: 12, effect: 0 },
  { name: 'Retail', weight: 12, effect: -0.2 },
  { name: 'Education', weight: 10, effect: -0.4 },
  { name: 'Government', weight: 6, effect: -0.3 },
  { name: 'Nonprofit', weight: 6, effect: -0.6 },
  { name: 'Media', weight: 8, effect: 0 },
];

export const countries: Level[] = [
  { name: 'US', weight: 35, effect: 0.2 },
  { name: 'GB', weight: 10, effect: 0.1 },
  { name: 'DE', weight: 9, effect: 0.1 },
  { name: 'FR', weight: 7, effect: 0 },
  { name: 'NL', weight: 4, effect: 0.1 },
  { name: 'CA', weight: 6, effect: 0.1 },
  { name: 'AU', weight: 5, effect: 0 },
  { name: 'IN', weight: 12, effect: -0.3 },
  { name: 'BR', weight: 7, effect: -0.2 },
  { name: 'ES', weight: 5, effect: -0.1 },
];

export const jobTitles: Level[] = [
  { name: 'CEO', weight: 4, effect: 0.6 },
  { name: 'VP Marketing', weight: 6, effect: 0.5 },
  { name: 'Head of Growth', weight: 6, effect: 0.4 },
  { name: 'Sales Director', weight: 6, effect: 0.4 },
  { name: 'Marketing Manager', weight: 18, effect: 0.2 },
  { name: 'Marketing Operations', weight: 10, effect: 0.3 },
  { name: 'Engineer', weight: 14, effect: 0 },
  { name: 'Analyst', weight: 14, effect: -0.1 },
  { name: 'Consultant', weight: 10, effect: -0.3 },
  { name: 'Student', weight: 12, effect: -1.2 },
];

export const sources: Level[] = [
  { name: 'organic_search', weight: 25, effect: 0.1 },
  { name: 'paid_search', weight: 20, effect: 0 },
  { name: 'referral', weight: 8, effect: 0.6 },
  { name: 'webinar', weight: 8, effect: 0.3 },
  { name: 'partner', weight: 6, effect: 0.4 },
  { name: 'event', weight: 8, effect: 0.2 },
  { name: 'cold_outbound', weight: 15, effect: -0.5 },
  { name: 'content_syndication', weight: 10, effect: -0.4 },
];

/** Event types, with how their weight scales with s = exp(0.5 * intent): weight * s ** power. */
export const eventTypes: { name: string; weight: number; power: number; seconds: boolean }[] = [
  { name: 'page_view', weight: 30, power: 0, seconds: true },
  { name: 'docs_view', weight: 8, power: 1, seconds: true },
  { name: 'pricing_view', weight: 3, power: 2, seconds: true },
  { name: 'email_sent', weight: 20, power: 0, seconds: false },
  { name: 'email_open', weight: 10, power: 1, seconds: false },
  { name: 'email_click', weight: 3, power: 2, seconds: false },
  { name: 'webinar', weight: 1.5, power: 1, seconds: false },
  { name: 'download', weight: 3, power: 1, seconds: false },
  { name: 'form_submit', weight: 1, power: 2, seconds: false },
  { name: 'unsubscribe', weight: 1.2, power: -1, seconds: false },
];

export const freeMail = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'icloud.com', 'gmx.de', 'proton.me'];
export const firstNames = [
  'anna',
  'ben',
  'carla',
  'david',
  'elena',
  'farid',
  'grace',
  'hugo',
  'ines',
  'jack',
  'kim',
  'luis',
  'maya',
  'nina',
  'omar',
  'priya',
  'quinn',
  'raj',
  'sara',
  'tom',
];
export const lastNames = [
  'smith',
  'muller',
  'garcia',
  'rossi',
  'khan',
  'silva',
  'jones',
  'martin',
  'novak',
  'chen',
  'kumar',
  'brown',
  'dubois',
  'lopez',
  'ito',
];
export const companyWords = [
  'acme',
  'blue',
  'nova',
  'apex',
  'zen',
  'orbit',
  'peak',
  'bright',
  'core',
  'vertex',
  'lumen',
  'delta',
  'pixel',
  'north',
  'terra',
  'quant',
];
export const companySuffixes = ['labs', 'soft', 'corp', 'group', 'works', 'data', 'health', 'bank', 'retail', 'edu'];

export const freeMailEffect = -0.5;
export const baseLogOdds = -3.2;
export const intentEffect = 1.1;
export const spamShare = 0.03;
export const lostDealShare = 0.15;
export const meanGapDays = 7;

/** Effect of company size on the log-odds. */
export function employeesEffect(employees: number): number {
  return 0.35 * (Math.log10(employees) - 2);
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
