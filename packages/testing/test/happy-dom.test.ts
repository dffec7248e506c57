import { scenarios } from './scenarios';

scenarios('happy-dom');
