// Reference variant for the benchmark: xtest's reader, then junit-report-builder (the whole tree in memory) as the writer.
// Usage: node builder-variant.mjs <path of report/index.js> OUT INPUTS...
import { createRequire } from 'node:module'
import { resolve } from 'node:path'

const [lib, out, ...inputs] = process.argv.slice(2)
const { readJUnit, mergeReports } = await import(lib)
const require = createRequire(resolve(lib, '../../../package.json'))
const builder = require('junit-report-builder').newBuilder()
const reports = []
for (const path of inputs) {
  const read = await readJUnit(path)
  if (!read.ok) throw new Error(`${path}: ${read.message}`)
  reports.push({ path, report: read.value.report })
}
for (const suite of mergeReports(reports).suites) {
  const target = builder.testSuite().name(suite.name).time(suite.time)
  for (const { name, value } of suite.properties) target.property(name, value)
  for (const testCase of suite.cases) {
    const built = target.testCase().className(testCase.classname).name(testCase.name).time(testCase.time)
    if (testCase.result === 'failed') built.failure(testCase.fault?.message, testCase.fault?.type).stacktrace(testCase.fault?.body)
    if (testCase.result === 'error') built.error(testCase.fault?.message, testCase.fault?.type, testCase.fault?.body)
    if (testCase.result === 'skipped') built.skipped()
    if (testCase.systemOut) built.standardOutput(testCase.systemOut)
    if (testCase.systemErr) built.standardError(testCase.systemErr)
  }
}
builder.writeTo(out)
