import { routeKit } from '../../../platform/http/index.js';

/** The validation routes' instance of the platform route kit: their tag, authentication and answers. */
export const { auth, spec, answers, pageAnswers } = routeKit('validation');
