/** Redis Cluster hash slot of a key (0..16383), honouring `{hash tags}`; what ioredis uses to route commands. */
declare module 'cluster-key-slot' {
  function calculateSlot(key: string | Buffer): number;
  namespace calculateSlot {
    /** The slot shared by all `keys`, or -1 when they are in different slots. */
    function generateMulti(keys: (string | Buffer)[]): number;
  }
  export = calculateSlot;
}
