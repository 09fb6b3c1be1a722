import { createContext } from 'react';
import { NO_TEXT_FIT, type TextFitter } from './fit.ts';

/** The text fitter slides below use; browsers provide `domTextFit` (browser.tsx). */
export const TextFitContext = createContext<TextFitter>(NO_TEXT_FIT);
