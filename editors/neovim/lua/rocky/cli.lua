-- Running the `rocky` CLI: long commands (run, discover) in a terminal split so their progress is
-- visible; `rocky check` as JSON into the quickfix list.
local config = require('rocky.config')
local binaries = require('rocky.binaries')
local model = require('rocky.model')

local M = {}

--- The project root and the CLI path, or nil after telling the user what is missing.
local function project()
  local root = config.root_of_buf(0)
  if not root then
    vim.notify('rocky: no rocky.toml above this buffer or the working directory', vim.log.levels.ERROR)
    return nil
  end
  local cli, err = binaries.resolve('rocky', config.options.cli_path, root)
  if not cli then
    vim.notify('rocky: ' .. err .. ' — set cli_path in require("rocky").setup{}', vim.log.levels.ERROR)
    return nil
  end
  return root, cli
end

--- Runs `rocky <args>` in the project root in a terminal split at the bottom.
---@param args string[]
---@return integer|nil the terminal's job id
function M.terminal(args)
  local root, cli = project()
  if not root then
    return nil
  end
  vim.cmd('botright 15split')
  vim.cmd('enew')
  local job = vim.fn.jobstart(vim.list_extend({ cli }, args), { cwd = root, term = true })
  vim.api.nvim_buf_set_name(0, ('rocky://%s'):format(table.concat(args, ' ')))
  vim.cmd('normal! G')
  return job
end

---@param extra string[]|nil
function M.run(extra)
  return M.terminal(vim.list_extend({ 'run' }, extra or {}))
end

---@param name string|nil a model name; default: this buffer's model
function M.run_model(name)
  if not name then
    local found, err = model.ask(vim.api.nvim_get_current_buf())
    if not found then
      vim.notify('rocky: ' .. err .. '; use :RockyRunModel NAME', vim.log.levels.ERROR)
      return nil
    end
    name = found.name
  end
  return M.terminal({ 'run', '--models', name })
end

--- Quickfix items from `rocky check --format json` output.
---@param root string
---@param doc table the parsed JSON document
function M.quickfix_items(root, doc)
  local items = {}
  local kinds = { error = 'E', warning = 'W', info = 'I', hint = 'N' }
  for _, d in ipairs(doc.diagnostics or {}) do
    local file = d.file or d.path
    local text = ('%s %s'):format(d.code or '', d.message or '')
    if d.hint and d.hint ~= vim.NIL and d.hint ~= '' then
      text = text .. ' — ' .. d.hint
    end
    table.insert(items, {
      filename = file and vim.fs.joinpath(root, file) or nil,
      lnum = d.line or 1,
      col = d.column or 1,
      end_lnum = d.end_line,
      end_col = d.end_column,
      vcol = 1,
      type = kinds[d.severity] or 'E',
      text = text,
    })
  end
  return items
end

--- Runs `rocky check --format json`, fills the quickfix list and opens it (or says "no problems").
---@param opts { wait: boolean|nil }|nil wait: block until done (for scripts and tests)
function M.check(opts)
  local root, cli = project()
  if not root then
    return
  end
  local function done(out)
    local ok, doc = pcall(vim.json.decode, out.stdout or '')
    if not ok or type(doc) ~= 'table' then
      vim.notify(('rocky check failed (exit %d): %s'):format(out.code, out.stderr or ''), vim.log.levels.ERROR)
      return
    end
    local items = M.quickfix_items(root, doc)
    vim.fn.setqflist({}, ' ', { title = 'rocky check', items = items })
    if #items > 0 then
      vim.cmd('botright copen')
    else
      vim.notify('rocky check: no problems', vim.log.levels.INFO)
    end
  end
  local argv = { cli, 'check', '--format', 'json' }
  if opts and opts.wait then
    done(vim.system(argv, { cwd = root, text = true }):wait())
  else
    vim.system(argv, { cwd = root, text = true }, vim.schedule_wrap(done))
  end
end

return M
