import { routeKit } from '../../../platform/http/index.js';

/** The frontier routes' instance of the platform route kit: their tag, authentication and answers. */
export const { auth, spec, answers, pageAnswers } = routeKit('frontier');
