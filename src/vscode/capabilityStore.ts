import type * as vscode from 'vscode';
import type { CapabilityRecord, CapabilityStore } from '../core/protocol/capabilityProbe';

const STATE_KEY = 'infill.capabilities';
/** Servers remembered; the oldest answers go first. */
const MAX_RECORDS = 50;

/** What the capability probe learned, per (baseUrl, model), kept across sessions in globalState. */
export class GlobalStateCapabilityStore implements CapabilityStore {
  constructor(private readonly state: vscode.Memento) {}

  private all(): Record<string, CapabilityRecord> {
    const value = this.state.get<unknown>(STATE_KEY);
    return value && typeof value === 'object' ? (value as Record<string, CapabilityRecord>) : {};
  }

  get(key: string): CapabilityRecord | undefined {
    return this.all()[key];
  }

  async set(key: string, record: CapabilityRecord): Promise<void> {
    const records = { ...this.all(), [key]: record };
    const keys = Object.keys(records).sort((a, b) => (records[a]!.probedAt < records[b]!.probedAt ? -1 : 1));
    while (keys.length > MAX_RECORDS) delete records[keys.shift()!];
    await this.state.update(STATE_KEY, records);
  }
}
