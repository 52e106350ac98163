import type { AdmissionControl } from '../gateway-services.js';

/** Admits everything: used when no budgets or rate limits are configured. */
export const openAdmission: AdmissionControl = {
  admit: async () => ({ headers: {}, settle() {} }),
};
