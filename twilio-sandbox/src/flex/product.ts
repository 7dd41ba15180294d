export const P = 'flex-api';
