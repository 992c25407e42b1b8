/** Wire schemas of the admin endpoints (contract §4 "Admin"): organizations and API keys. */
import Type, { type Static } from 'typebox'

const Timestamp = Type.String({ format: 'date-time' })

export const KeyMode = Type.Enum(['live', 'sandbox'], {
  $id: 'KeyMode',
  description: 'live keys may read and write; sandbox keys may only read.',
})
export type KeyMode = Static<typeof KeyMode>

export const Organization = Type.Object(
  { id: Type.String({ pattern: '^org_' }), name: Type.String(), created_at: Timestamp },
  { additionalProperties: false, $id: 'Organization' },
)
export type Organization = Static<typeof Organization>

export const ApiKey = Type.Object(
  {
    id: Type.String({ pattern: '^key_' }),
    organization_id: Type.String({ pattern: '^org_' }),
    mode: KeyMode,
    name: Type.Union([Type.String(), Type.Null()]),
    prefix: Type.String({ description: 'The first characters of the secret, to tell keys apart.' }),
    created_at: Timestamp,
    revoked_at: Type.Union([Timestamp, Type.Null()]),
  },
  { additionalProperties: false, $id: 'ApiKey' },
)
export type ApiKey = Static<typeof ApiKey>

export const CreateOrganizationRequest = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 255, description: 'Trimmed; 1–255 characters.' }) },
  { additionalProperties: false, $id: 'CreateOrganizationRequest' },
)
export type CreateOrganizationRequest = Static<typeof CreateOrganizationRequest>

export const CreateApiKeyRequest = Type.Object(
  {
    mode: KeyMode,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'A label for people.' })),
  },
  { additionalProperties: false, $id: 'CreateApiKeyRequest' },
)
export type CreateApiKeyRequest = Static<typeof CreateApiKeyRequest>
