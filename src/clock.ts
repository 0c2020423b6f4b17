/**
 * Where the commands get the time. Pure code takes `now` as an argument; commands take a
 * Clock, so a test that calls a command in-process can move time without touching the system.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
