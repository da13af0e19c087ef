/** Error code of a run whose jobs Redis lost: closed by the sweep or by the next "sync now". */
export const RUN_LOST = 'RUN_LOST';
