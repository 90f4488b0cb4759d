// The end of every shard, whatever the runtime: results out of the exchange folder into the run folder, as data.
import type { ShardExchange } from './shard-exchange.js'
import type { ShardLog } from './shard-log.js'

/** Copies the shard's result files into its run folder and deletes the exchange folder; refusals go to the log. */
export function takeResults(exchange: ShardExchange, shardDir: string, log: ShardLog): void {
  try {
    for (const note of exchange.collect(shardDir)) log.note(note)
  } catch (error) {
    log.note(`could not take the shard's results: ${(error as Error).message}`)
  }
  try {
    exchange.dispose()
  } catch (error) {
    log.note(`could not remove ${exchange.dir}: ${(error as Error).message}`)
  }
}
