import { LeadModel } from '../models/lead-model.ts';
import type { ModelLoader } from './servable-model.ts';

/** Loads a trained artifact with the project's lead model (models/lead-model.ts). */
export const loadLeadModel: ModelLoader = (files) => LeadModel.fromFiles(files);
