-- Headless Neovim test of the Rocky plugin against the real rocky-lsp and rocky binaries:
--   ROCKY_LSP=... ROCKY_BIN=... ROCKY_PROJECT=<copy of fixtures/playground> \
--   nvim --headless -u NONE -l editors/neovim/test/test.lua
-- Prints PASS/FAIL per check, ends with "N passed, M failed", exits non-zero on any failure.
local plugin_dir = vim.fs.dirname(vim.fs.dirname(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p')))
vim.opt.runtimepath:prepend(plugin_dir)
-- -u NONE skips filetype detection, which a normal start has on (the server attaches by filetype).
vim.cmd('filetype on')

local project = assert(os.getenv('ROCKY_PROJECT'), 'ROCKY_PROJECT not set')
local lsp_bin = assert(os.getenv('ROCKY_LSP'), 'ROCKY_LSP not set')
local cli_bin = assert(os.getenv('ROCKY_BIN'), 'ROCKY_BIN not set')
local timeout = tonumber(os.getenv('ROCKY_TEST_TIMEOUT_MS') or '') or 15000
vim.cmd.cd(project)

-- print() can crash Neovim 0.11.4 in headless -l mode while LSP messages are handled: write
-- to stdout directly.
local function print(s)
  io.stdout:write(s .. '\n')
  io.stdout:flush()
end

local passed, failed = 0, 0
local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    print('PASS ' .. name)
  else
    failed = failed + 1
    print('FAIL ' .. name .. (detail and (': ' .. detail) or ''))
  end
  return ok
end
local function finish()
  -- Stop the server: politely, then by force (a hung server must not outlive the test).
  local clients = vim.lsp.get_clients()
  for _, c in ipairs(clients) do
    c:stop()
  end
  if not vim.wait(3000, function()
    return #vim.lsp.get_clients() == 0
  end, 50) then
    for _, c in ipairs(vim.lsp.get_clients()) do
      c.rpc.terminate() -- SIGTERM (c:stop(true) is a no-op once a stop is under way)
    end
    vim.wait(1000, function()
      return #vim.lsp.get_clients() == 0
    end, 50)
  end
  print(('%d passed, %d failed'):format(passed, failed))
  os.exit(failed == 0 and 0 or 1)
end

-- Record notifications (errors from the plugin show up here instead of a UI).
local notes = {}
vim.notify = function(msg, level)
  table.insert(notes, msg)
  if (level or 0) >= vim.log.levels.WARN then
    print('notify: ' .. msg)
  end
end

require('rocky').setup({ server_path = lsp_bin, cli_path = cli_bin })

--- Cursor on the first occurrence of `needle` (1-based line, 0-based byte column) in a buffer.
local function find(buf, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local s = line:find(needle, 1, true)
    if s then
      return i, s - 1
    end
  end
  error('not found in buffer: ' .. needle)
end

local function params_at(buf, client, needle)
  local line, col = find(buf, needle)
  vim.api.nvim_win_set_cursor(0, { line, col })
  return vim.lsp.util.make_position_params(0, client.offset_encoding)
end

-- 1. attach ---------------------------------------------------------------------------------
vim.cmd.edit(vim.fs.joinpath(project, 'models/marts/customer_ranking.sql'))
local buf = vim.api.nvim_get_current_buf()
local attached = vim.wait(timeout, function()
  local c = require('rocky').client(buf)
  return c ~= nil and c.initialized == true
end, 50)
local client = require('rocky').client(buf)
check('attach: rocky-lsp attaches to a model .sql buffer', attached,
  'no initialized rocky client after ' .. timeout .. ' ms; notes: ' .. table.concat(notes, ' | '))
if not attached then
  check('attach: root_dir is the project', false, 'no client')
  finish()
end
check('attach: root_dir is the project', vim.fs.normalize(client.root_dir or '') == vim.fs.normalize(project),
  tostring(client.root_dir))

-- 2. diagnostics: an unknown column ----------------------------------------------------------
local line = find(buf, '    customer_name,')
vim.api.nvim_buf_set_lines(buf, line - 1, line, false, { '    customer_nme,' })
local diag
vim.wait(timeout, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'E102' then
      diag = d
      return true
    end
  end
  return false
end, 50)
check('diagnostics: E102 on an unknown column', diag ~= nil,
  'diagnostics: ' .. vim.inspect(vim.tbl_map(function(d)
    return { d.code, d.message }
  end, vim.diagnostic.get(buf))))
if diag then
  local function count_e102()
    local n = 0
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      n = n + (d.code == 'E102' and 1 or 0)
    end
    return n
  end
  -- Give a second report (pull diagnostics after a push, or the reverse) the time to arrive.
  vim.wait(2000, function()
    return count_e102() > 1
  end, 50)
  local e102 = count_e102()
  check('diagnostics: the error is reported once (not by both push and pull)', e102 == 1, e102 .. ' E102 diagnostics')
  check('diagnostics: exact span on the column', diag.lnum == line - 1 and diag.col == 4 and diag.end_col == 16,
    ('lnum %d col %d end_col %s'):format(diag.lnum, diag.col, tostring(diag.end_col)))
  check('diagnostics: message names the column', diag.message:find('customer_nme', 1, true) ~= nil, diag.message)
end
vim.api.nvim_buf_set_lines(buf, line - 1, line, false, { '    customer_name,' })
local cleared = vim.wait(timeout, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'E102' then
      return false
    end
  end
  return true
end, 50)
check('diagnostics: fixing the column clears the error', cleared)

-- 3. inlay hints as extmarks ------------------------------------------------------------------
check('inlay hints: enabled by default', vim.lsp.inlay_hint.is_enabled({ bufnr = buf }))
local ns = vim.api.nvim_get_namespaces()['nvim.lsp.inlayhint']
local rank_line = find(buf, 'as spend_rank')
local hint_text
vim.wait(timeout, function()
  vim.cmd.redraw() -- the decoration provider draws hints on redraw
  if not ns then
    ns = vim.api.nvim_get_namespaces()['nvim.lsp.inlayhint']
    return false
  end
  for _, m in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, { rank_line - 1, 0 }, { rank_line - 1, -1 }, { details = true })) do
    local parts = {}
    for _, chunk in ipairs(m[4].virt_text or {}) do
      table.insert(parts, chunk[1])
    end
    hint_text = table.concat(parts)
    if hint_text:find('BIGINT', 1, true) then
      return true
    end
  end
  return false
end, 50)
check('inlay hints: extmark shows BIGINT after rank() ... as spend_rank', hint_text ~= nil and hint_text:find('BIGINT', 1, true) ~= nil,
  'hint text: ' .. tostring(hint_text) .. '; hints: ' .. vim.inspect(vim.tbl_map(function(h)
    return h.inlay_hint.label
  end, vim.lsp.inlay_hint.get({ bufnr = buf }))))

-- 4. hover: lineage of a column -------------------------------------------------------------
local hover = client:request_sync('textDocument/hover', params_at(buf, client, 'total_spent / nullif'), timeout, buf)
local hover_text = ''
if hover and hover.result and hover.result.contents then
  local c = hover.result.contents
  hover_text = type(c) == 'string' and c or (c.value or vim.inspect(c))
end
check('hover: total_spent shows its upstream lineage (customer_orders <- stg_orders.amount)',
  hover_text:find('customer_orders', 1, true) ~= nil and hover_text:find('stg_orders.amount', 1, true) ~= nil,
  vim.inspect(hover and (hover.err or hover.result)))

-- 5. go to definition: a model reference opens the model's file ----------------------------
local def = client:request_sync('textDocument/definition', params_at(buf, client, 'customer_orders'), timeout, buf)
local target
if def and def.result and def.result ~= vim.NIL then
  local r = def.result
  local loc = r.uri and r or r[1]
  target = loc and (loc.uri or loc.targetUri)
end
check('definition: customer_orders -> models/marts/customer_orders.sql',
  target ~= nil and target:find('models/marts/customer_orders.sql', 1, true) ~= nil,
  vim.inspect(def and (def.err or def.result)))

-- 6. :RockyLineage of the column under the cursor ------------------------------------------
--- Runs :RockyLineage (float, or split) and returns the shown lines and the error, if any.
local function show_lineage(split)
  local shown, lines, err = false, {}, nil
  require('rocky.lineage').show({
    split = split,
    on_done = function(b, _, e)
      shown, err = true, e
      if b then
        lines = vim.api.nvim_buf_get_lines(b, 0, -1, false)
      end
    end,
  })
  vim.wait(timeout, function()
    return shown
  end, 50)
  return lines, err
end

params_at(buf, client, 'total_spent / nullif')
local lineage_lines, lineage_err = show_lineage(false)
local tree = table.concat(lineage_lines, '\n')
-- The cursor is on a reference to customer_orders.total_spent: its lineage runs upstream to
-- stg_orders.amount and the source, and downstream to this model's columns.
check(':RockyLineage: float shows the tree of customer_orders.total_spent (up- and downstream)',
  tree:find('Lineage of customer_orders.total_spent', 1, true) ~= nil
    and tree:find('aggregate ← stg_orders.amount', 1, true) ~= nil
    and tree:find('copy → customer_ranking.total_spent', 1, true) ~= nil,
  lineage_err or tree)
local float_open = false
for _, w in ipairs(vim.api.nvim_list_wins()) do
  if vim.api.nvim_win_get_config(w).relative ~= '' then
    float_open = true
  end
end
check(':RockyLineage: rendered in a floating window', float_open)
print(tree)
-- <CR> on the stg_orders line opens that model's file (the server says where it is).
local stg_line
for i, l in ipairs(lineage_lines) do
  if l:find('stg_orders.amount', 1, true) then
    stg_line = stg_line or i
  end
end
if float_open and stg_line then
  vim.api.nvim_win_set_cursor(0, { stg_line, 0 })
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes('<CR>', true, false, true), 'x', false)
end
local opened = vim.api.nvim_buf_get_name(0)
check(':RockyLineage: <CR> on a line opens its model (stg_orders.sql)',
  opened:find('models/staging/stg_orders.sql', 1, true) ~= nil, opened .. '\n' .. tree)
for _, w in ipairs(vim.api.nvim_list_wins()) do
  if vim.api.nvim_win_get_config(w).relative ~= '' then
    vim.api.nvim_win_close(w, true)
  end
end
vim.api.nvim_set_current_buf(buf)

-- Off a column (the comment on line 1): the whole model, one tree per output column.
vim.api.nvim_win_set_cursor(0, { 1, 0 })
lineage_lines = show_lineage(true)
local roots = {}
for _, l in ipairs(lineage_lines) do
  local col = l:match('^Lineage of customer_ranking%.(%S+)')
  if col then
    table.insert(roots, col)
  end
end
check(':RockyLineage split: off a column, a tree per column of the model', #roots == 5, table.concat(lineage_lines, '\n'))
if vim.bo.filetype == 'rockylineage' then
  vim.cmd('close')
end
vim.api.nvim_set_current_buf(buf)

-- 7. :RockyCheck fills the quickfix list --------------------------------------------------
local l = find(buf, '    customer_name,')
vim.api.nvim_buf_set_lines(buf, l - 1, l, false, { '    customer_nme,' })
vim.cmd('silent write')
require('rocky.cli').check({ wait = true })
local qf = vim.fn.getqflist()
local qf_ok = false
for _, item in ipairs(qf) do
  if item.text:find('E102', 1, true) and vim.api.nvim_buf_get_name(item.bufnr):find('customer_ranking.sql', 1, true) then
    qf_ok = item.lnum == l
  end
end
check(':RockyCheck: quickfix has E102 at customer_ranking.sql:' .. l, qf_ok, vim.inspect(qf))
vim.api.nvim_set_current_buf(buf)
vim.api.nvim_buf_set_lines(buf, l - 1, l, false, { '    customer_name,' })
vim.cmd('silent write')

-- 8. :RockyRunModel runs `rocky run --models <this model>` in a terminal split --------------
vim.api.nvim_set_current_buf(buf)
local job = require('rocky.cli').run_model()
local term_buf = vim.api.nvim_get_current_buf()
local code = job and vim.fn.jobwait({ job }, 120000)[1]
local term_text = table.concat(vim.api.nvim_buf_get_lines(term_buf, 0, -1, false), '\n')
check(':RockyRunModel: a terminal runs `rocky run --models customer_ranking`',
  vim.bo[term_buf].buftype == 'terminal' and vim.api.nvim_buf_get_name(term_buf):find('rocky://run --models customer_ranking', 1, true) ~= nil,
  vim.api.nvim_buf_get_name(term_buf))
check(':RockyRunModel: `rocky run --models customer_ranking` succeeds', code == 0,
  ('exit %s; terminal:\n%s'):format(tostring(code), vim.trim(term_text)))
vim.cmd('bwipeout!')
vim.api.nvim_set_current_buf(buf)

-- 9. :RockyRestart: a new server attaches to the open buffer --------------------------------
local old_id = client.id
vim.cmd('RockyRestart')
local restarted = vim.wait(timeout, function()
  local c = require('rocky').client(buf)
  return c ~= nil and c.id ~= old_id and c.initialized == true
end, 50)
check(':RockyRestart: a new rocky-lsp attaches to the buffer', restarted)

-- 10. :checkhealth rocky --------------------------------------------------------------------
vim.cmd('checkhealth rocky')
io.stdout:write('\n') -- after Neovim's "Running healthchecks..." message
local health = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
local function health_ok(pattern)
  for _, hl in ipairs(vim.split(health, '\n')) do
    if hl:find('OK', 1, true) and hl:find(pattern) then
      return true
    end
  end
  return false
end
local before = failed
check(':checkhealth rocky: Neovim version OK', health_ok('Neovim 0%.1[1-9]'))
check(':checkhealth rocky: rocky-lsp found with --version', health_ok('language server: .*rocky%-lsp %(rocky%-lsp'))
check(':checkhealth rocky: rocky CLI found with --version', health_ok('CLI.*: .*rocky %(rocky'))
check(':checkhealth rocky: rocky.toml root found', health_ok('rocky.toml found: project root ' .. vim.pesc(vim.fs.normalize(project))))
check(':checkhealth rocky: no ERROR lines', not health:find('ERROR', 1, true))
if failed > before then
  print('--- :checkhealth rocky buffer:\n' .. health)
end

finish()
