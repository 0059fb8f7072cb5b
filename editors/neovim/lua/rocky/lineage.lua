-- :RockyLineage: asks the server (`rocky/lineage`) for the lineage of the column under the cursor
-- (else the buffer's model) and renders the graph as a text tree in a float or a split. <CR> on
-- a line opens that model's file.
local config = require('rocky.config')
local model = require('rocky.model')

local M = {}

--- A table of the server's graph as {kind, name}: accepts {kind=..., name=...} (serde's tagged
--- enum), {Model=...}/{Source=...}, or a plain string.
local function table_of(t)
  if type(t) == 'string' then
    return 'model', t
  elseif type(t) == 'table' then
    if t.kind then
      return (t.kind:lower() == 'source') and 'source' or 'model', t.name
    elseif t.Source then
      return 'source', t.Source
    elseif t.Model then
      return 'model', t.Model
    end
  end
  return 'model', '?'
end

local function node_of(ref)
  local kind, name = table_of(ref.table)
  local column = (ref.column ~= nil and ref.column ~= vim.NIL) and ref.column or ''
  return { id = (kind .. ':' .. name .. '.' .. column):lower(), kind = kind, table = name, column = column }
end

local function label(n)
  local text = n.column ~= '' and (n.table .. '.' .. n.column) or n.table
  if n.kind == 'source' then
    text = text .. '  (source)'
  elseif n.column == '' then
    text = text .. '  (model)'
  end
  return text
end

--- Text tree lines for a lineage graph, plus the model name on each line (for <CR>).
---@param graph table the `rocky/lineage` result
---@return string[] lines, table<integer, string> models by line number
function M.render(graph)
  local nodes, up, down = {}, {}, {}
  local function add(ref)
    local n = node_of(ref)
    nodes[n.id] = nodes[n.id] or n
    return n.id
  end
  -- The columns asked about: `root`, else `model` x `columns` (rocky-lsp's shape).
  local roots = {}
  if graph.root and graph.root ~= vim.NIL then
    table.insert(roots, add(graph.root))
  elseif type(graph.model) == 'string' then
    for _, c in ipairs(type(graph.columns) == 'table' and graph.columns or {}) do
      table.insert(roots, add({ table = { kind = 'model', name = graph.model }, column = c }))
    end
  end
  for _, n in ipairs(graph.nodes or {}) do
    add(n)
  end
  for _, e in ipairs(graph.edges or {}) do
    local from, to = add(e.from), add(e.to)
    local kind = (e.kind ~= nil and e.kind ~= vim.NIL) and e.kind or 'key'
    up[to] = up[to] or {}
    table.insert(up[to], { id = from, kind = kind })
    down[from] = down[from] or {}
    table.insert(down[from], { id = to, kind = kind })
  end
  local lines, models = {}, {}
  local function emit(text, n)
    table.insert(lines, text)
    if n and n.kind == 'model' then
      models[#lines] = n.table
    end
  end
  if #roots == 0 then
    emit('No lineage: put the cursor on a column of a model and run :RockyLineage again.')
    return lines, models
  end
  local function walk(id, edges, arrow, prefix, seen)
    local children = edges[id] or {}
    table.sort(children, function(a, b)
      return a.id < b.id
    end)
    for i, child in ipairs(children) do
      local last = i == #children
      local n = nodes[child.id]
      local cycle = seen[child.id] and '  (cycle)' or ''
      emit(('%s%s %s %s %s%s'):format(prefix, last and '└─' or '├─', child.kind, arrow, label(n), cycle), n)
      if not seen[child.id] then
        seen[child.id] = true
        walk(child.id, edges, arrow, prefix .. (last and '   ' or '│  '), seen)
        seen[child.id] = nil
      end
    end
  end
  for i, root in ipairs(roots) do
    if i > 1 then
      emit('')
    end
    local r = nodes[root]
    emit('Lineage of ' .. label(r), r)
    for _, side in ipairs({
      { 'Upstream (derives from)', up, '←', 'upstream' },
      { 'Downstream (read by)', down, '→', 'downstream' },
    }) do
      local title, edges, arrow, word = unpack(side)
      emit('  ' .. title .. ':')
      if edges[root] then
        walk(root, edges, arrow, '    ', { [root] = true })
      else
        emit('    (nothing ' .. word .. ')')
      end
    end
  end
  return lines, models
end

local function open_window(lines, models, source_buf, split)
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].bufhidden = 'wipe'
  vim.bo[buf].filetype = 'rockylineage'
  local win
  if split then
    vim.cmd('botright vsplit')
    win = vim.api.nvim_get_current_win()
    vim.api.nvim_win_set_buf(win, buf)
  else
    local width = 20
    for _, l in ipairs(lines) do
      width = math.max(width, vim.fn.strdisplaywidth(l) + 2)
    end
    width = math.min(width, math.max(20, vim.o.columns - 4))
    local height = math.min(#lines, math.max(3, vim.o.lines - 6))
    win = vim.api.nvim_open_win(buf, true, {
      relative = 'editor',
      row = math.floor((vim.o.lines - height) / 2),
      col = math.floor((vim.o.columns - width) / 2),
      width = width,
      height = height,
      border = 'rounded',
      title = ' Rocky lineage ',
      style = 'minimal',
    })
  end
  local function close()
    if vim.api.nvim_win_is_valid(win) then
      vim.api.nvim_win_close(win, true)
    end
  end
  vim.keymap.set('n', 'q', close, { buffer = buf, desc = 'close' })
  vim.keymap.set('n', '<Esc>', close, { buffer = buf, desc = 'close' })
  vim.keymap.set('n', '<CR>', function()
    local name = models[vim.api.nvim_win_get_cursor(0)[1]]
    if not name then
      return
    end
    local found, err = model.ask(source_buf, name)
    if not found then
      vim.notify('rocky: ' .. err, vim.log.levels.WARN)
      return
    end
    close()
    vim.cmd.edit(vim.fn.fnameescape(vim.uri_to_fname(found.uri)))
  end, { buffer = buf, desc = "open this line's model" })
  return buf, win
end

--- Shows the lineage for the cursor position. opts.split: a split instead of a float.
--- opts.on_done(buf, win|nil, err|nil) is called when shown (for scripts and tests).
---@param opts { split: boolean|nil, on_done: fun(buf: integer|nil, win: integer|nil, err: string|nil)|nil }|nil
function M.show(opts)
  opts = opts or {}
  local bufnr = vim.api.nvim_get_current_buf()
  local client = require('rocky').client(bufnr)
  local function fail(msg)
    vim.notify('rocky: ' .. msg, vim.log.levels.ERROR)
    if opts.on_done then
      opts.on_done(nil, nil, msg)
    end
  end
  if not client then
    return fail('no rocky language server attached to this buffer')
  end
  local function shown(graph)
    local lines, models = M.render(graph or {})
    local buf, win = open_window(lines, models, bufnr, opts.split)
    if opts.on_done then
      opts.on_done(buf, win, nil)
    end
  end
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  params.direction = config.options.lineage_direction
  client:request('rocky/lineage', params, function(err, result)
    if err then
      return fail('rocky/lineage failed: ' .. (err.message or vim.inspect(err)))
    end
    -- Off a column the server answers the buffer's whole model.
    shown(result ~= vim.NIL and result or {})
  end, bufnr)
end

return M
