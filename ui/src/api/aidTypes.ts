// The aid records as the console uses them (帮扶集团、干部、岗位、结对、走访、
// 考勤、轮换…): the API's schemas, with nested lists typed, and the few
// wire facts of the aid API (empty dates, visit photos).
import type { Schemas } from './client'

// fupin.Date is "YYYY-MM-DD" or null on the wire, and the OpenAPI document
// says so; Dated is kept as a name for the record types that carry dates.
type FupinDate = Schemas['Date']
type Dated<T> = T

export type AidGroup = Schemas['AidGroup']
export type AidUnit = Schemas['AidUnit']
export type WorkTeam = Omit<Schemas['WorkTeam'], 'leader' | 'members'> & { leader?: Posting | null; members?: Posting[] | null }
export type Cadre = Omit<Schemas['Cadre'], 'postings'> & { postings?: Posting[] | null }
export type Posting = Dated<Schemas['Posting']>
export type TermAlert = Dated<Schemas['TermAlert']>
export type Pairing = Dated<Schemas['Pairing']>
export type Unpaired = Schemas['UnpairedHousehold']
export type HelperLoad = Schemas['HelperLoad']
export type Visit = Dated<Schemas['Visit']>
export type OverdueVisit = Dated<Schemas['OverdueVisit']>
export type CheckIn = Dated<Schemas['CheckIn']>
export type Leave = Dated<Schemas['Leave']>
export type AttendanceReport = Schemas['AttendanceReport']
export type Rotation = Omit<Dated<Schemas['Rotation']>, 'items' | 'entries'> & { items?: RotationItem[] | null; entries?: HandoverEntry[] | null }
export type RotationItem = Schemas['RotationItem']
export type HandoverEntry = Schemas['HandoverEntry']
export type AidSummary = Schemas['AidSummary']
export type AidSettingsView = Schemas['AidSettingsView']
export type AidSettingRow = Schemas['AidSettingRow']
export type SettingDef = Schemas['SettingDef']

/** wire turns an empty date input into null for a request body. */
export function wire(d: string | null | undefined): FupinDate {
  return d || null
}

/** photoUrl is where a visit photo's image is served. */
export function photoUrl(id: number): string {
  return `/api/v1/aid/photos/${id}`
}

/** maxPhotoBytes is the server's bound on one visit photo (5 MB). */
export const maxPhotoBytes = 5 << 20
