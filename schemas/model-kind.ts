/** A model kind (`noise`, …): the champion pointer and registry history are per (tenant, kind). */
export const MODEL_KIND_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
