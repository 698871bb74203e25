import type { DashboardSpec } from '../panel-spec.js';
import { fleetHealthDashboard } from './fleet-health.js';
import { modelPerformanceDriftDashboard } from './model-performance-drift.js';
import { noiseReductionDashboard } from './noise-reduction.js';
import { sloBurnRatesDashboard } from './slo-burn-rates.js';
import { trainingPipelineDashboard } from './training-pipeline.js';

/** Every provisioned dashboard, in the order Grafana's folder lists them. */
export function allDashboards(): DashboardSpec[] {
  return [sloBurnRatesDashboard(), noiseReductionDashboard(), modelPerformanceDriftDashboard(), trainingPipelineDashboard(), fleetHealthDashboard()];
}
