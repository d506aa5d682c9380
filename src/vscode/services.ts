import type * as vscode from 'vscode';
import type { CapabilityStore } from '../core/protocol/capabilityProbe';
import type { HttpTransport } from '../core/transport/httpTransport';
import type { ApiKeyStore } from './apiKeyStore';
import type { DecisionLog } from './decisionLog';
import type { KeyTransportGuard } from './keyTransportGuard';
import type { ReportDocuments } from './reportDocuments';
import type { RequestGate } from './requestGate';
import type { StatusBar } from './statusBar';
import type { UsageTracking } from './usageTracking';

/** What the command handlers share; built once in extension.ts. */
export interface InfillServices {
  context: vscode.ExtensionContext;
  transport: HttpTransport;
  keys: ApiKeyStore;
  keyGuard: KeyTransportGuard;
  gate: RequestGate;
  log: vscode.LogOutputChannel;
  status: StatusBar;
  usage: UsageTracking;
  decisions: DecisionLog;
  reports: ReportDocuments;
  /** What the capability probe learned per (server, model): the commands use it as ghost text does. */
  capabilities?: CapabilityStore;
}
