/**
 * Core's EXAMPLE_CREATE_WORKFLOW as the API stores and returns it: every config field, in the
 * contract's order. Written out by hand on purpose (an oracle independent of core's resolution),
 * and with no import, so the client scenarios can bundle it into a Worker.
 */
const RESOLVED_ID_VERIFICATION = {
  minimum_age: 21,
  maximum_age: 51,
  expiry_date_years: 2,
  require_secondary_id: false,
  require_tertiary_id: false,
  face_front_photo_only: false,
  require_front_only: false,
  enable_fraud_analysis: true,
  escalation_type: 'nfc-passport',
  escalation_risk_threshold: 60,
}

export const RESOLVED_FIVE_STEPS = [
  { id: 'ID_VERIFICATION', config: RESOLVED_ID_VERIFICATION },
  { id: 'FACE_LIVENESS', config: { confidence_threshold: 80 } },
  { id: 'AGE_ESTIMATION', config: { minimum_age: 18 } },
  { id: 'PEP_SANCTIONS', config: {} },
  { id: 'ADVERSE_MEDIA', config: {} },
]
