import type { DashboardSpec, PromPanelSpec, SqlPanelSpec } from '../panel-spec.js';
import { historyTablePanel } from './history-table-panel.js';

const text = (name: string): { name: string; unit: 'string' } => ({ name, unit: 'string' });
const time = (name: string): { name: string; unit: 'dateTimeAsIso' } => ({ name, unit: 'dateTimeAsIso' });

function registryEventsPanel(): SqlPanelSpec {
  return historyTablePanel({
    title: 'Model registry events — $tenant',
    description: 'Registrations, promotions, rollbacks, rejected challengers, canary stages and scheduled re-certifications, with the reason given.',
    table: 'model_events',
    timeColumn: 'at',
    orderBy: 'at DESC, at_ms DESC',
    columns: [time('at'), text('kind'), text('action'), text('model_id'), text('previous_model_id'), text('reason')],
  });
}

function modelsPanel(): SqlPanelSpec {
  return historyTablePanel({
    title: 'Trained models — $tenant',
    description: 'Every artifact registered in the range: its version, training window and dataset hash (DESIGN §6).',
    table: 'models',
    timeColumn: 'created_at',
    orderBy: 'created_at DESC, model_id',
    columns: [time('created_at'), text('kind'), text('model_id'), { name: 'version', unit: 'none', min: 1 }, time('training_window_start'), time('training_window_end'), text('dataset_hash')],
  });
}

function retrainingPanel(): SqlPanelSpec {
  return historyTablePanel({
    title: 'Retraining decisions — $tenant',
    description: 'What the retraining policy decided after each drift report: train or wait, the trigger, and the guard that held it back.',
    table: 'retraining_decisions',
    timeColumn: 'at',
    orderBy: 'at DESC, at_ms DESC',
    columns: [time('at'), text('kind'), text('action'), text('trigger'), { name: 'urgent', unit: 'none', min: 0, max: 1 }, text('blocked_by'), text('reason'), text('job_id')],
  });
}

function thresholdsPanel(): SqlPanelSpec {
  return historyTablePanel({
    title: 'Threshold changes — $tenant',
    description: 'Per-service decision thresholds set by the optimiser or pinned by hand, before and after.',
    table: 'threshold_changes',
    timeColumn: 'at',
    orderBy: 'at DESC, at_ms DESC',
    columns: [time('at'), text('service'), text('source'), { name: 'previous', unit: 'none', min: 0, max: 1 }, { name: 'threshold', unit: 'none', min: 0, max: 1 }, text('reason')],
  });
}

function runsPanel(title: string, description: string, expr: string, legend: string): PromPanelSpec {
  return { source: 'prometheus', kind: 'timeseries', title, description, width: 8, unit: 'short', queries: [{ expr, legend }] };
}

/** Training, evaluation and drift runs, and what they changed. */
export function trainingPipelineDashboard(): DashboardSpec {
  return {
    uid: 'hush-training-pipeline',
    title: 'Hush — Training pipeline',
    description: 'Training, evaluation and drift-window runs (Prometheus) and the registry, retraining and threshold history they wrote (ClickHouse).',
    tenantVariable: true,
    from: 'now-7d',
    panels: [
      runsPanel('Training runs', 'Training jobs finished per interval, by model family and result.', 'sum by (family, result) (increase(hush_training_runs_total[$__rate_interval]))', '{{family}} {{result}}'),
      runsPanel('Evaluations', 'Evaluation runs per interval, by the action taken (promoted, kept, recertified, rolled-back, nothing-to-evaluate, failed).', 'sum by (action) (increase(hush_evaluations_total[$__rate_interval]))', '{{action}}'),
      runsPanel('Drift checks', 'Drift-window checks per interval, by status and retraining action.', 'sum by (status, action) (increase(hush_drift_checks_total[$__rate_interval]))', '{{status}} {{action}}'),
      registryEventsPanel(),
      modelsPanel(),
      retrainingPanel(),
      thresholdsPanel(),
    ],
  };
}
